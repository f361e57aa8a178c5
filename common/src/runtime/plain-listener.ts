import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { notFound, type HttpMount } from "./listener";
import type { Logger } from "../observability/logger";

// A plain HTTP/1.1 listener of a few mounts and nothing else: Prometheus' scrapes (observability/metrics.ts), and
// operators' browser tools (the payload codec), which cannot hold the internal listeners' client
// certificates — reached on loopback (compose publishes it on 127.0.0.1) or through
// `kubectl port-forward`.
export async function startPlainListener(options: {
  name: string;
  host: string;
  port: number;
  mounts: HttpMount[];
  log: Logger;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 60_000 }, (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    (options.mounts.find((m) => path.startsWith(m.prefix))?.handler ?? notFound)(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === "0.0.0.0" ? "localhost" : options.host.includes(":") ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  options.log.info({ listener: options.name, url }, "listening");
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
