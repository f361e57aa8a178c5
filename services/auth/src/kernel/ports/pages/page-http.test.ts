import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { abandonedSignal, respond } from "./page-http";

// abandonedSignal over a real HTTP server: a browser that leaves aborts what its page waits for;
// one that got its answer aborts nothing.

async function serverWith(handle: (res: http.ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => handle(res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test("a browser that leaves before its answer aborts the page's wait", async () => {
  let waiting: (signal: AbortSignal) => void = () => undefined;
  const handled = new Promise<AbortSignal>((resolve) => (waiting = resolve));
  // The answer never comes: the page waits (for a saga, say).
  const server = await serverWith((res) => waiting(abandonedSignal(res)));
  try {
    const request = http.get(server.url);
    request.on("error", () => undefined);
    const signal = await handled;
    expect(signal.aborted).toBe(false);
    const aborted = new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
    request.destroy();
    await aborted;
    expect(signal.aborted).toBe(true);
  } finally {
    await server.close();
  }
});

test("an answer written and read aborts nothing", async () => {
  let signal: AbortSignal | undefined;
  const server = await serverWith((res) => {
    signal = abandonedSignal(res);
    respond(res, 200, { "content-type": "text/plain" }, "done");
  });
  try {
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get(server.url, (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve(text));
        })
        .on("error", reject);
    });
    expect(body).toBe("done");
    await new Promise((r) => setTimeout(r, 50));
    expect(signal?.aborted).toBe(false);
  } finally {
    await server.close();
  }
});
