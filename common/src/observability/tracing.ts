import type { Tracing } from "./tracing-sdk";

export type { Tracing } from "./tracing-sdk";

// Traces (OpenTelemetry), configured by the standard OTEL_* variables and off unless an OTLP
// endpoint is named (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT):
// OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf by default, http/json, grpc), OTEL_SERVICE_NAME (the
// process's role by default), OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_RESOURCE_ATTRIBUTES.
// Started before anything loads `pg`, whose instrumentation hooks its loading: each process's
// main.ts imports its tracing.ts first. The spans of RPCs come from our Connect interceptors
// (rpc-tracing.ts) and Temporal's from @temporalio/interceptors-opentelemetry; without an SDK
// started they are no-ops.

export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === "true" || env.OTEL_TRACES_EXPORTER === "none") return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export function tracingProtocol(env: NodeJS.ProcessEnv = process.env): string {
  return env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf";
}

// The SDK, its exporters and the pg instrumentation are loaded only when tracing is on
// (tracing-sdk.ts): loaded always, it cost auth and profile 20–35 MB at their peak for nothing
// (`make bench QUICK=1`, BENCHMARKS.md). Loaded with require, synchronously, so that the
// instrumentation is in place before anything loads pg.
export function startTracing(role: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!tracingEnabled(env)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("./tracing-sdk") as typeof import("./tracing-sdk");
  return sdk.startTracingSdk(env.OTEL_SERVICE_NAME ?? `flowshield-${role}`, tracingProtocol(env));
}
