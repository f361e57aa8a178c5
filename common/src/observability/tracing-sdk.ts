import { OTLPTraceExporter as OTLPGrpcTraceExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as OTLPJsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OTLPProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { Resource } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-base";

// The OpenTelemetry SDK itself, loaded by tracing.ts only when tracing is on. The exporters read
// their endpoint, headers and timeouts from the standard variables.

export interface Tracing {
  // Where spans go: the worker hands it the workflows' spans, which the SDK's sink exports.
  spanProcessor: SpanProcessor;
  resource: Resource;
  // Sends what is buffered; called last on shutdown.
  shutdown(): Promise<void>;
}

function exporterFor(protocol: string): SpanExporter {
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

export function startTracingSdk(serviceName: string, protocol: string): Tracing {
  const spanProcessor = new BatchSpanProcessor(exporterFor(protocol));
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
