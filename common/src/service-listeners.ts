import type { DescService } from "@bufbuild/protobuf";
import type { Kysely } from "kysely";
import type { ConnectRouter } from "@connectrpc/connect";
import type { HealthStatus } from "./health";
import { startListener, type HttpMount } from "./listener";
import type { Logger } from "./logger";
import type { Readiness } from "./readiness";
import { requireServiceCredential } from "./service-credential";

export interface ListenerSpec {
  port: number;
  services: DescService[];
  routes: (router: ConnectRouter) => void;
  mounts?: HttpMount[];
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
  serviceCredential: string;
  public: ListenerSpec;
  internal: ListenerSpec;
}): Promise<ServiceListeners> {
  const common = { host: options.host, log: options.log, health: options.health };
  const publicListener = await startListener({ ...common, ...options.public, name: `${options.name}-public` });
  const internalListener = await startListener({
    ...common,
    ...options.internal,
    name: `${options.name}-internal`,
    interceptors: [requireServiceCredential(options.serviceCredential)],
  }).catch(async (err: unknown) => {
    await publicListener.close();
    throw err;
  });
  return {
    publicUrl: publicListener.url,
    internalUrl: internalListener.url,
    close: async (graceMs) => {
      await Promise.all([publicListener.close(graceMs), internalListener.close(graceMs)]);
    },
  };
}

// A started service, as its composition root hands it to main.ts and the tests.
export interface RunningService<DB> extends ServiceListeners {
  db: Kysely<DB>;
  health: HealthStatus;
  readiness: Readiness;
}
