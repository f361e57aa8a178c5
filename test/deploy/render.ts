import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { runProgram } from "../support/process";

// deploy/k8s as the manifest tests see it: an overlay rendered by kustomize, the strict validator,
// both pinned and built into .tools/ by `make test`.

export const ROOT = path.resolve(__dirname, "..", "..");

// What the tests read of the rendered objects.
export interface Container {
  name: string;
  args?: string[];
  ports?: Array<{ name: string; containerPort: number }>;
  resources?: unknown;
  securityContext?: unknown;
  readinessProbe?: { grpc?: { service?: string } };
  livenessProbe?: { grpc?: { service?: string } };
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ configMapRef: { name: string } }>;
}
export interface IngressRule {
  from?: Array<{ podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown }>;
  ports?: Array<{ port: number }>;
}
export interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    template?: { spec: { securityContext?: unknown; terminationGracePeriodSeconds?: number; containers: Container[] } };
    podSelector?: { matchLabels?: Record<string, string> };
    ingress?: IngressRule[];
    [field: string]: unknown;
  };
  data?: Record<string, string>;
}

export function tool(variable: string): string {
  const found = process.env[variable];
  if (found === undefined) throw new Error(`${variable} is not set: run the tests with \`make test\`, which builds it into .tools/`);
  return found;
}

export async function render(overlay: string): Promise<{ rendered: string; objs: Obj[] }> {
  const { stdout } = await promisify(execFile)(tool("KUSTOMIZE"), ["build", path.join(ROOT, "deploy", "k8s", "overlays", overlay)]);
  return { rendered: stdout, objs: parseAllDocuments(stdout).map((d) => d.toJS() as Obj) };
}

// deploy/k8s/validate: every built-in object decoded into the Kubernetes API's own Go type, and
// every custom resource checked against its operator's CRD, unknown fields refused.
export const validate = (yaml: string) => runProgram(tool("K8S_VALIDATE"), [tool("K8S_CRDS")], { input: yaml });

export const named = (objs: Obj[], kind: string, name: string): Obj => {
  const found = objs.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind}/${name} rendered`);
  return found;
};
