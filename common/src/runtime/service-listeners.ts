import type { DescService } from "@bufbuild/protobuf";
import type { Kysely } from "kysely";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import type { HealthStatus } from "./health";
import { startListener, type HttpMount } from "./listener";
import type { TlsFiles } from "./tls-files";
import type { Logger } from "../observability/logger";
import type { Readiness } from "./readiness";
import { requireCallerCredentials, type InternalCaller } from "./service-credential";

export interface ListenerSpec {
  port: number;
  services: DescService[];
  routes: (router: ConnectRouter) => void;
  mounts?: HttpMount[];
  // Mutual TLS for the internal listener (INTERNAL_TLS_DIR).
  tls?: TlsFiles | undefined;
}

export interface ServiceListeners {
  publicUrl: string;
  internalUrl: string;
  close(graceMs?: number): Promise<void>;
}

// Every FlowShield service has two listeners: a public one, and an internal one that only callers
// holding the service credential may use. Internal services are never routed on the public port.
export async function startServiceListeners(options: {
  name: string;
  host: string;
  log: Logger;
  health: HealthStatus;
  // Who may call the internal listener, and what.
  internalCallers: InternalCaller[];
  public: ListenerSpec;
  internal: ListenerSpec;
  // Around every call on both listeners (traces, metrics), outside the internal one's credential check.
  interceptors?: Interceptor[];
}): Promise<ServiceListeners> {
  const common = { host: options.host, log: options.log, health: options.health };
  const around = options.interceptors ?? [];
  const publicListener = await startListener({ ...common, ...options.public, name: `${options.name}-public`, interceptors: around });
  const internalListener = await startListener({
    ...common,
    ...options.internal,
    name: `${options.name}-internal`,
    interceptors: [...around, requireCallerCredentials(options.internalCallers)],
  }).catch(async (err: unknown) => {
    await publicListener.close();
    throw err;
  });
  return {
    publicUrl: publicListener.url,
    internalUrl: internalListener.url,
    // The public calls drain first, while the internal listener still serves: a Register in
    // flight waits on its saga, whose steps call this very service's internal listener (the
    // fault suite caught the deadlock a simultaneous close makes). The internal listener then
    // drains in what is left of the grace.
    close: async (graceMs = 0) => {
      const deadline = Date.now() + graceMs;
      await publicListener.close(graceMs);
      await internalListener.close(Math.max(0, deadline - Date.now()));
    },
  };
}

// A started service, as its composition root hands it to main.ts and the tests.
export interface RunningService<DB> extends ServiceListeners {
  // Where Prometheus scrapes the service: GET …/metrics.
  metricsUrl: string;
  // Operators' browser tools (auth's payload codec), when served.
  operatorToolsUrl?: string;
  db: Kysely<DB>;
  health: HealthStatus;
  readiness: Readiness;
}
