import { OTLPTraceExporter as OTLPGrpcTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as OTLPJsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { Resource } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

// Traces (OpenTelemetry), configured by the standard OTEL_* variables and off unless an OTLP
// endpoint is named (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT):
// OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf by default, http/json, grpc), OTEL_SERVICE_NAME (the
// process's role by default), OTEL_TRACES_SAMPLER, OTEL_BSP_*, OTEL_RESOURCE_ATTRIBUTES.
// Started before anything loads `pg`, whose instrumentation hooks its loading: each process's
// main.ts imports its tracing.ts first. The spans of RPCs come from our Connect interceptors
// (rpc-tracing.ts) and Temporal's from @temporalio/interceptors-opentelemetry; without an SDK
// started they are no-ops.

export interface Tracing {
  // Where spans go: the worker hands it the workflows' spans, which the SDK's sink exports.
  spanProcessor: SpanProcessor;
  resource: Resource;
  // Sends what is buffered; called last on shutdown.
  shutdown(): Promise<void>;
}

export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === "true" || env.OTEL_TRACES_EXPORTER === "none") return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export function tracingProtocol(env: NodeJS.ProcessEnv = process.env): string {
  return env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf";
}

function exporterFromEnv(env: NodeJS.ProcessEnv): SpanExporter {
  const protocol = tracingProtocol(env);
  switch (protocol) {
    case "grpc":
      return new OTLPGrpcTraceExporter();
    case "http/json":
      return new OTLPJsonTraceExporter();
    case "http/protobuf":
      return new OTLPProtoTraceExporter();
    default:
      throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL: ${protocol} is not one of grpc, http/protobuf, http/json`);
  }
}

export function startTracing(role: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!tracingEnabled(env)) return undefined;
  const serviceName = env.OTEL_SERVICE_NAME ?? `flowshield-${role}`;
  const spanProcessor = new BatchSpanProcessor(exporterFromEnv(env));
  const sdk = new NodeSDK({
    serviceName,
    spanProcessors: [spanProcessor],
    // Each query as a span under the call that made it; a query outside any trace (the readiness
    // checks' `select 1`, the hourly purge) makes none.
    instrumentations: [new PgInstrumentation({ requireParentSpan: true })],
  });
  sdk.start();
  return { spanProcessor, resource: new Resource({ "service.name": serviceName }), shutdown: () => sdk.shutdown() };
}
