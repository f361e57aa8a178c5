import type { DescService } from "@bufbuild/protobuf";
import type { Kysely } from "kysely";
import type { ConnectRouter } from "@connectrpc/connect";
import { startListener, type HttpFallback } from "./listener";
import type { Logger } from "./logger";
import { requireServiceCredential } from "./service-credential";

export interface ListenerSpec {
  port: number;
  services: DescService[];
  routes: (router: ConnectRouter) => void;
  fallback?: HttpFallback;
}

export interface ServiceListeners {
  publicUrl: string;
  internalUrl: string;
  close(): Promise<void>;
}

// Every FlowShield service has two listeners: a public one, and an internal one that only callers
// holding the service credential may use. Internal services are never routed on the public port.
export async function startServiceListeners(options: {
  name: string;
  host: string;
  log: Logger;
  serviceCredential: string;
  public: ListenerSpec;
  internal: ListenerSpec;
}): Promise<ServiceListeners> {
  const common = { host: options.host, log: options.log };
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
    close: async () => {
      await Promise.all([publicListener.close(), internalListener.close()]);
    },
  };
}

// A started service, as its composition root hands it to main.ts and the tests.
export interface RunningService<DB> extends ServiceListeners {
  db: Kysely<DB>;
}
