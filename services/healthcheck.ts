import { readFileSync } from "node:fs";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { listenerPort } from "@flowshield/common/runtime/topology";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "@flowshield/gen/grpc/health/v1/health_pb";

// The image's HEALTHCHECK: `node dist/healthcheck.js [auth|profile|worker]` asks the process's
// grpc.health.v1 service (the one Kubernetes' gRPC probes call) whether it is SERVING, and exits 0
// only if it is. Without an argument the role is the one the container runs (dist/<role>.js on
// its command line), so one HEALTHCHECK line serves every role of the one image.
const PORTS: Record<string, () => number> = {
  auth: () => listenerPort("authPublic"),
  profile: () => listenerPort("profilePublic"),
  worker: () => listenerPort("workerHealth"),
};

function containerRole(): string | undefined {
  const cmdline = readFileSync("/proc/1/cmdline", "utf8").split("\0");
  return cmdline.map((arg) => /(?:^|\/)dist\/(\w+)\.js$/.exec(arg)?.[1]).find((role) => role !== undefined);
}

async function main(): Promise<number> {
  const role = process.argv[2] ?? containerRole();
  const port = role !== undefined ? PORTS[role] : undefined;
  // A container that runs no serving role (a migration job) has nothing to report: healthy.
  if (port === undefined) {
    if (role === "migrate") return 0;
    console.error(`no health service for role ${role ?? "(none found on the container's command line)"}`);
    return 1;
  }
  const health = createClient(Health, createGrpcTransport({ baseUrl: `http://127.0.0.1:${port()}` }));
  const { status } = await health.check({ service: "" }, { timeoutMs: 2_000 });
  console.log(`${role}: ${ServingStatus[status]}`);
  return status === ServingStatus.SERVING ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
