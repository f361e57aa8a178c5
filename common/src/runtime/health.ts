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
export { ServingStatus };

// The entry for Kubernetes' liveness probe: SERVING whenever the process answers at all, whatever
// its dependencies say, so that a database outage makes pods unready, never restarts them. The
// readiness probe checks "".
export const LIVENESS = "liveness";

// What a process reports through grpc.health.v1: one status for "" (the whole process) and one per
// service it serves. Health is readiness: a status turns NOT_SERVING while a dependency that
// service needs is unreachable, and for good once the process starts draining.
export class HealthStatus {
  private readonly serving = new Map<string, boolean>();
  private readonly listeners = new Set<() => void>();
  private draining = false;

  constructor(serviceNames: string[]) {
    for (const name of ["", ...serviceNames]) this.serving.set(name, true);
  }

  set(service: string, serving: boolean): void {
    if (!this.serving.has(service)) throw new Error(`unknown service "${service}"`);
    if (this.serving.get(service) === serving) return;
    this.serving.set(service, serving);
    this.notify();
  }

  // A draining process answers NOT_SERVING everywhere, whatever its dependencies say.
  drain(): void {
    this.draining = true;
    this.notify();
  }

  status(service: string): ServingStatus {
    if (service === LIVENESS) return ServingStatus.SERVING;
    const serving = this.serving.get(service);
    if (serving === undefined) return ServingStatus.SERVICE_UNKNOWN;
    return serving && !this.draining ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

// The standard grpc.health.v1 protocol for the services one listener serves; Kubernetes' gRPC
// probes call Check. A service of the process that this listener does not serve is unknown here.
export function healthRoutes(health: HealthStatus, serviceNames: string[]) {
  const known = new Set(["", LIVENESS, ...serviceNames]);
  const response = (service: string) =>
    create(HealthCheckResponseSchema, { status: known.has(service) ? health.status(service) : ServingStatus.SERVICE_UNKNOWN });
  return (router: ConnectRouter) =>
    router.service(Health, {
      check(req) {
        if (!known.has(req.service)) throw new ConnectError(`unknown service "${req.service}"`, Code.NotFound);
        return response(req.service);
      },
      list() {
        return create(HealthListResponseSchema, { statuses: Object.fromEntries([...known].map((name) => [name, response(name)])) });
      },
      // Sends the status now and again each time it changes, until the caller leaves.
      async *watch(req, ctx) {
        let changed: () => void = () => undefined;
        const unsubscribe = health.onChange(() => changed());
        const left = new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
        try {
          let last: ServingStatus | undefined;
          while (!ctx.signal.aborted) {
            const next = new Promise<void>((resolve) => (changed = resolve));
            const current = response(req.service);
            if (current.status !== last) {
              last = current.status;
              yield current;
            }
            await Promise.race([next, left]);
          }
        } finally {
          unsubscribe();
        }
      },
    });
}
