import type pg from "pg";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { Logger } from "./logger";
import { startPlainListener } from "../runtime/plain-listener";

// Prometheus metrics (prom-client). Each service has a registry of its own rather than
// prom-client's global one: the tests run several services in one process, and each must show
// only its own. Every name FlowShield adds starts with flowshield_; the runtime's (process_*,
// nodejs_*) are prom-client's defaults.

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

// A connection pool's use, read when scraped: connections open and busy, and callers waiting
// for one (a pool at its max with callers waiting is the database's queue, not ours).
export function poolMetrics(registry: Registry, pool: pg.Pool, database: string): void {
  new Gauge({
    name: "flowshield_db_pool_connections",
    help: "Database connections open, by state (busy: checked out by a query or transaction)",
    labelNames: ["database", "state"],
    registers: [registry],
    collect() {
      this.set({ database, state: "idle" }, pool.idleCount);
      this.set({ database, state: "busy" }, pool.totalCount - pool.idleCount);
    },
  });
  new Gauge({
    name: "flowshield_db_pool_waiting",
    help: "Queries waiting for a database connection",
    labelNames: ["database"],
    registers: [registry],
    collect() {
      this.set({ database }, pool.waitingCount);
    },
  });
  new Gauge({
    name: "flowshield_db_pool_max",
    help: "The most connections the pool opens",
    labelNames: ["database"],
    registers: [registry],
    collect() {
      this.set({ database }, pool.options.max);
    },
  });
}

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

// GET /metrics on a port of its own (never the public one): what the registry holds, followed by
// what `more` adds (the worker's Temporal SDK metrics). Anything else is 404.
export async function startMetricsListener(options: {
  host: string;
  port: number;
  registry: Registry;
  log: Logger;
  more?: () => Promise<string>;
}): Promise<MetricsListener> {
  const listener = await startPlainListener({
    name: "metrics",
    host: options.host,
    port: options.port,
    log: options.log,
    mounts: [
      {
        prefix: "/",
        handler: (req, res) => {
          if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
            res.writeHead(404);
            res.end();
            return;
          }
          void Promise.all([options.registry.metrics(), options.more?.() ?? ""]).then(
            ([own, more]) => {
              res.writeHead(200, { "content-type": options.registry.contentType });
              res.end(own + more);
            },
            (err: unknown) => {
              options.log.warn({ err }, "metrics scrape failed");
              res.writeHead(500);
              res.end();
            },
          );
        },
      },
    ],
  });
  return { url: `${listener.url}/metrics`, close: listener.close };
}
