import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from "@opentelemetry/api";
import { ConnectError, type Interceptor } from "@connectrpc/connect";
import { grpcCodeName } from "./rpc-metrics";

// A span per RPC, on both ends, with the trace carried in the W3C `traceparent` header: the
// server's span continues the caller's trace, the client's span makes the call part of its own.
// The names and attributes follow OpenTelemetry's RPC conventions (rpc.system, rpc.service,
// rpc.method, rpc.grpc.status_code).

const tracer = trace.getTracer("flowshield-rpc");

const headerGetter: TextMapGetter<Headers> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key) ?? undefined,
};
const headerSetter: TextMapSetter<Headers> = {
  set: (headers, key, value) => headers.set(key, value),
};

function ended<T>(span: Span, call: () => Promise<T>): Promise<T> {
  return call().then(
    (res) => {
      span.setAttribute("rpc.grpc.status_code", 0);
      span.end();
      return res;
    },
    (err: unknown) => {
      const { code, rawMessage } = ConnectError.from(err);
      span.setAttribute("rpc.grpc.status_code", code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: `${grpcCodeName(code)}: ${rawMessage}` });
      span.end();
      throw err;
    },
  );
}

const attributes = (req: { service: { typeName: string }; method: { name: string } }) => ({
  "rpc.system": "grpc",
  "rpc.service": req.service.typeName,
  "rpc.method": req.method.name,
});

export function serverTracingInterceptor(): Interceptor {
  return (next) => (req) => {
    const parent = propagation.extract(context.active(), req.header, headerGetter);
    const span = tracer.startSpan(
      `${req.service.typeName}/${req.method.name}`,
      { kind: SpanKind.SERVER, attributes: attributes(req) },
      parent,
    );
    return context.with(trace.setSpan(parent, span), () => ended(span, () => next(req)));
  };
}

export function clientTracingInterceptor(): Interceptor {
  return (next) => (req) => {
    const span = tracer.startSpan(`${req.service.typeName}/${req.method.name}`, { kind: SpanKind.CLIENT, attributes: attributes(req) });
    const active = trace.setSpan(context.active(), span);
    propagation.inject(active, req.header, headerSetter);
    return context.with(active, () => ended(span, () => next(req)));
  };
}
