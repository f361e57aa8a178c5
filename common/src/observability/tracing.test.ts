import { startTracing, tracingEnabled } from "./tracing";

// When tracing is on, by the standard variables; test/observability/traces.test.ts runs it.

test("off unless an OTLP endpoint is named, and off when the standard switches say so", () => {
  expect(tracingEnabled({})).toBe(false);
  expect(tracingEnabled({ OTEL_SERVICE_NAME: "x" })).toBe(false);
  expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBe(true);
  expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" })).toBe(true);
  expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "true" })).toBe(false);
  expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_TRACES_EXPORTER: "none" })).toBe(false);
  expect(startTracing("auth", {})).toBeUndefined();
});

test("a protocol it does not speak is refused at start, by name", () => {
  expect(() =>
    startTracing("auth", { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "carrier-pigeon" }),
  ).toThrow("OTEL_EXPORTER_OTLP_PROTOCOL: carrier-pigeon is not one of grpc, http/protobuf, http/json");
});
