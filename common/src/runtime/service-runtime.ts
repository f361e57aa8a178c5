import type { Kysely } from "kysely";
import type pg from "pg";
import type { Registry } from "prom-client";
import { pingDatabase } from "./database";
import { HealthStatus } from "./health";
import type { Logger } from "../observability/logger";
import { poolMetrics, startMetricsListener } from "../observability/metrics";
import { startReadinessChecks, type DependencyCheck } from "./readiness";
import { rpcMetricsInterceptor } from "../observability/rpc-metrics";
import { serverTracingInterceptor } from "../observability/rpc-tracing";
import type { InternalCaller } from "./service-credential";
import type { HttpMount } from "./listener";
import { startPlainListener } from "./plain-listener";
import { startServiceListeners, type ListenerSpec, type RunningService } from "./service-listeners";

export interface ServiceRuntimeOptions<DB> {
  name: string;
  host: string;
  log: Logger;
  // Who may call the internal listener, and what (service-credential.ts).
  internalCallers: InternalCaller[];
  healthCheckIntervalMs: number;
  db: Kysely<DB>;
  // Prometheus metrics: the service's registry (its use cases may have added to it), the port
  // that serves it, and the pool behind db, whose use it reports.
  metrics: { registry: Registry; port: number; pool: pg.Pool };
  // Dependencies beyond the service's own database (each names the entries that follow it).
  checks?: DependencyCheck[];
  public: ListenerSpec;
  internal: ListenerSpec;
  // Operators' browser tools on a plaintext listener of their own (plain-listener.ts): auth's
  // payload codec.
  operatorTools?: { port: number; mounts: HttpMount[] };
  // Closed after the listeners have drained, before the database.
  closeAlso?: () => Promise<void>;
}

// What every FlowShield service runs around its routes: readiness health over its database (and
// any other dependency), its two listeners, and a close that drains in order — health
// NOT_SERVING, calls in flight finished, then the clients and the pool.
export async function startServiceRuntime<DB>(options: ServiceRuntimeOptions<DB>): Promise<RunningService<DB>> {
  const serviceNames = [...options.public.services, ...options.internal.services].map((s) => s.typeName);
  const health = new HealthStatus(serviceNames);
  const readiness = startReadinessChecks({
    health,
    serviceNames,
    log: options.log,
    intervalMs: options.healthCheckIntervalMs,
    checks: [{ name: "database", probe: () => pingDatabase(options.db) }, ...(options.checks ?? [])],
  });
  const { registry } = options.metrics;
  poolMetrics(registry, options.metrics.pool, options.name);
  const metricsListener = await startMetricsListener({ host: options.host, port: options.metrics.port, registry, log: options.log }).catch(
    async (err: unknown) => {
      await readiness.stop();
      throw err;
    },
  );
  const listeners = await startServiceListeners({
    ...options,
    health,
    interceptors: [serverTracingInterceptor(), rpcMetricsInterceptor(registry)],
  }).catch(async (err: unknown) => {
    await readiness.stop();
    await metricsListener.close();
    throw err;
  });
  const tools =
    options.operatorTools === undefined
      ? undefined
      : await startPlainListener({
          name: `${options.name}-operator-tools`,
          host: options.host,
          log: options.log,
          ...options.operatorTools,
        }).catch(async (err: unknown) => {
          await readiness.stop();
          await listeners.close();
          await metricsListener.close();
          throw err;
        });
  return {
    publicUrl: listeners.publicUrl,
    internalUrl: listeners.internalUrl,
    metricsUrl: metricsListener.url,
    ...(tools !== undefined ? { operatorToolsUrl: tools.url } : {}),
    db: options.db,
    health,
    readiness,
    async close(graceMs = 0) {
      health.drain();
      await readiness.stop();
      await listeners.close(graceMs);
      await tools?.close();
      await options.closeAlso?.();
      await options.db.destroy();
      await metricsListener.close();
    },
  };
}
