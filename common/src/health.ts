import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
  HealthCheckResponseSchema,
  HealthListResponseSchema,
} from "@flowshield/gen/grpc/health/v1/health_pb";

export const HealthService = Health;

// The standard grpc.health.v1 protocol. "" (the whole server) and every service a listener
// serves report SERVING while the process runs; Kubernetes' gRPC probes call this.
export function healthRoutes(serviceNames: string[]) {
  const known = new Set(["", ...serviceNames]);
  const serving = () => create(HealthCheckResponseSchema, { status: ServingStatus.SERVING });
  return (router: ConnectRouter) =>
    router.service(Health, {
      check(req) {
        if (!known.has(req.service)) throw new ConnectError(`unknown service "${req.service}"`, Code.NotFound);
        return serving();
      },
      list() {
        return create(HealthListResponseSchema, {
          statuses: Object.fromEntries([...known].map((name) => [name, serving()])),
        });
      },
      async *watch(req, ctx) {
        yield known.has(req.service)
          ? serving()
          : create(HealthCheckResponseSchema, { status: ServingStatus.SERVICE_UNKNOWN });
        // The status never changes while the process lives: hold the stream open until the caller leaves.
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
      },
    });
}
