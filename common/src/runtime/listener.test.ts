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
