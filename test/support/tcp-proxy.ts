import * as net from "node:net";

// A TCP proxy in front of a real server, to cut the network between a service and its database
// without stopping the database other tests share.
export interface TcpProxy {
  port: number;
  // Ends every connection through the proxy and refuses new ones, as a dead network would.
  cut(): void;
  // Ends every connection and then accepts new ones without ever answering, as a partition would.
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: "open" | "refuse" | "silent" = "open";
  const held = new Set<net.Socket>();
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    if (mode === "refuse") {
      client.destroy();
      return;
    }
    if (mode === "silent") {
      held.add(client);
      client.on("error", () => undefined).on("close", () => held.delete(client));
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream).pipe(client);
  });
  const endAll = () => {
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      mode = "refuse";
      endAll();
    },
    blackhole() {
      mode = "silent";
      endAll();
    },
    restore() {
      mode = "open";
      for (const client of held) client.destroy();
    },
    close() {
      mode = "refuse";
      endAll();
      for (const client of held) client.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

// The same database URL, reached through the proxy.
export function throughProxy(databaseUrl: string, proxy: TcpProxy): string {
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  return url.toString();
}
