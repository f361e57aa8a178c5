import * as http2 from "node:http2";
import * as net from "node:net";
import { createLogger } from "../observability/logger";
import { HealthStatus } from "./health";
import { CONNECTION_LIMITS, startListener, type Listener } from "./listener";

// The listener's connection limits, on a listener serving only health.
let listener: Listener;
beforeAll(async () => {
  listener = await startListener({
    name: "limits",
    host: "127.0.0.1",
    port: 0,
    log: createLogger("test", "silent"),
    services: [],
    routes: () => undefined,
    health: new HealthStatus([]),
    firstByteTimeoutMs: 300,
    idleTimeoutMs: 500,
  });
});
afterAll(async () => {
  await listener.close();
});

test("a connection that never sends a byte is closed", async () => {
  const socket = net.connect(listener.port, "127.0.0.1");
  const closed = await new Promise<boolean>((resolve) => {
    // unref: the test's own timer must not keep jest running once the test is over.
    const giveUp = setTimeout(() => resolve(false), 5_000).unref();
    socket.once("close", () => {
      clearTimeout(giveUp);
      resolve(true);
    });
  });
  expect(closed).toBe(true);
});

// The idle timeout counts from the last byte either way, on a connection that calls without pause.
test("an HTTP/2 connection in use outlives the idle timeout; left idle, it is closed", async () => {
  const session = http2.connect(listener.url);
  let closedAt: number | undefined;
  const closed = new Promise<void>((resolve) => session.once("close", resolve)).then(() => (closedAt = performance.now()));
  try {
    const statuses: number[] = [];
    let lastAnswer = 0;
    for (let i = 0; i < 15; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      statuses.push(
        await new Promise<number>((resolve, reject) => {
          const req = session.request({ ":path": "/no-such-path" });
          req.once("response", (headers) => resolve(Number(headers[":status"])));
          req.once("error", reject);
          req.resume();
        }),
      );
      lastAnswer = performance.now();
    }
    // 1.4 s of calls, nearly three times the idle timeout, all on the one connection.
    expect(statuses).toEqual(Array(15).fill(404));
    expect(closedAt).toBeUndefined();
    await closed;
    // Closed for idleness, not at once: the server's last byte left a little before this client
    // saw it (less than half the timeout, however loaded the machine).
    expect(closedAt! - lastAnswer).toBeGreaterThanOrEqual(250);
  } finally {
    session.destroy();
  }
});

test("HTTP/2 clients are told the stream and header limits", async () => {
  const session = http2.connect(listener.url);
  try {
    const settings = await new Promise<http2.Settings>((resolve) => session.once("remoteSettings", resolve));
    expect(settings.maxConcurrentStreams).toBe(CONNECTION_LIMITS.maxConcurrentStreams);
    expect(settings.maxHeaderListSize).toBe(CONNECTION_LIMITS.maxHeaderBytes);
  } finally {
    session.close();
  }
});

test("HTTP/1.1 headers over the limit are refused with 431", async () => {
  const res = await fetch(`${listener.url}/anything`, { headers: { "x-big": "x".repeat(CONNECTION_LIMITS.maxHeaderBytes + 1) } });
  expect(res.status).toBe(431);
});
