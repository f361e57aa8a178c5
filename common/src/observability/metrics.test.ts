import { Code } from "@connectrpc/connect";
import { Counter, Registry } from "prom-client";
import { createLogger } from "./logger";
import { startMetricsListener } from "./metrics";
import { grpcCodeName } from "./rpc-metrics";

// The metrics listener's own behaviour; what the services count is test/observability's.

const log = createLogger("test", "silent");

test("serves the registry and what more adds on GET /metrics, and nothing else", async () => {
  const registry = new Registry();
  new Counter({ name: "flowshield_test_total", help: "a test counter", registers: [registry] }).inc(3);
  const listener = await startMetricsListener({ host: "127.0.0.1", port: 0, registry, log, more: async () => "extra_metric 1\n" });
  try {
    const res = await fetch(listener.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain("flowshield_test_total 3\n");
    expect(text.endsWith("extra_metric 1\n")).toBe(true);
    expect((await fetch(listener.url.replace("/metrics", "/other"))).status).toBe(404);
    expect((await fetch(listener.url, { method: "POST" })).status).toBe(404);
  } finally {
    await listener.close();
  }
});

test("a scrape whose source fails answers 500, and the next one is served", async () => {
  let fail = true;
  const listener = await startMetricsListener({
    host: "127.0.0.1",
    port: 0,
    registry: new Registry(),
    log,
    more: async () => {
      if (fail) throw new Error("source down");
      return "";
    },
  });
  try {
    expect((await fetch(listener.url)).status).toBe(500);
    fail = false;
    expect((await fetch(listener.url)).status).toBe(200);
  } finally {
    await listener.close();
  }
});

test("codes are named as gRPC names them", () => {
  expect(grpcCodeName(Code.InvalidArgument)).toBe("INVALID_ARGUMENT");
  expect(grpcCodeName(Code.Unavailable)).toBe("UNAVAILABLE");
  expect(grpcCodeName(Code.ResourceExhausted)).toBe("RESOURCE_EXHAUSTED");
  expect(grpcCodeName(Code.Unauthenticated)).toBe("UNAUTHENTICATED");
});
