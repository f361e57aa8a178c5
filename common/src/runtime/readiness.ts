import type { HealthStatus } from "./health";
import type { Logger } from "../observability/logger";

// A dependency a process needs, and how to tell whether it is reachable now.
export interface DependencyCheck {
  name: string;
  // The health entries that follow this dependency; by default all of them, "" included.
  services?: string[];
  probe(): Promise<void>;
}

export interface ReadinessOptions {
  health: HealthStatus;
  serviceNames: string[];
  checks: DependencyCheck[];
  log: Logger;
  intervalMs: number;
  timeoutMs?: number;
}

export interface Readiness {
  // Runs every check once more and applies the result (tests call it instead of waiting).
  checkNow(): Promise<void>;
  // Stops probing, once the round under way has settled, so that nothing probes a dependency
  // whose client the process closes next.
  stop(): Promise<void>;
}

// Probes each dependency every intervalMs and keeps the health statuses in step: a service is
// SERVING while every dependency it needs answered its last probe. A change is logged once.
export function startReadinessChecks(options: ReadinessOptions): Readiness {
  const timeoutMs = options.timeoutMs ?? Math.max(1_000, options.intervalMs);
  const up = new Map(options.checks.map((c) => [c.name, true]));

  async function probe(check: DependencyCheck): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([check.probe(), timeout]);
      if (!up.get(check.name)) options.log.info({ dependency: check.name }, "dependency reachable again");
      up.set(check.name, true);
    } catch (err) {
      if (up.get(check.name))
        options.log.warn({ dependency: check.name, reason: err instanceof Error ? err.message : String(err) }, "dependency unreachable");
      up.set(check.name, false);
    } finally {
      clearTimeout(timer);
    }
  }

  async function checkAll(): Promise<void> {
    await Promise.all(options.checks.map(probe));
    for (const service of ["", ...options.serviceNames]) {
      const needs = options.checks.filter((c) => c.services === undefined || c.services.includes(service));
      options.health.set(
        service,
        needs.every((c) => up.get(c.name)),
      );
    }
  }

  // One round of probes at a time: a slow round is not stacked with the next tick's.
  let running: Promise<void> | undefined;
  function startRound(): Promise<void> {
    running = checkAll().finally(() => (running = undefined));
    return running;
  }
  async function checkNow(): Promise<void> {
    await running;
    await startRound();
  }

  const timer = setInterval(() => void (running ?? startRound()), options.intervalMs);
  timer.unref();
  return {
    checkNow,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
