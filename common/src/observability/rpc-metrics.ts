import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { Counter, Histogram, type Registry } from "prom-client";

// Every RPC a listener serves (gRPC, gRPC-web and Connect alike), by service, method and the code
// it ended with — as gRPC names them (OK, INVALID_ARGUMENT, UNAVAILABLE, ...) — and how long it took.
export function rpcMetricsInterceptor(registry: Registry): Interceptor {
  const handled = new Counter({
    name: "flowshield_rpc_server_handled_total",
    help: "RPCs completed by the server, by service, method and status code",
    labelNames: ["service", "method", "code"],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: "flowshield_rpc_server_handling_seconds",
    help: "Time from an RPC's arrival to its answer, by service and method",
    labelNames: ["service", "method"],
    // From a token check (~1 ms) to a Register that waits on its saga (seconds).
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return (next) => async (req) => {
    const labels = { service: req.service.typeName, method: req.method.name };
    const stop = seconds.startTimer(labels);
    try {
      const res = await next(req);
      handled.inc({ ...labels, code: "OK" });
      return res;
    } catch (err) {
      handled.inc({ ...labels, code: grpcCodeName(ConnectError.from(err).code) });
      throw err;
    } finally {
      stop();
    }
  };
}

// Code.InvalidArgument → "INVALID_ARGUMENT", the name in gRPC's status codes.
export function grpcCodeName(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}
