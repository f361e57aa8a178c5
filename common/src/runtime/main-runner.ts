import type { Migration } from "kysely/migration";
import { envInt } from "./config";
import { createDatabase, migrateToLatest } from "./database";
import type { Logger } from "../observability/logger";

// Runs a process until SIGINT or SIGTERM, then drains it: the process stops taking new work and
// gives the work in flight up to SHUTDOWN_GRACE_MS (default 25 s, inside Kubernetes' default 30 s
// termination grace) before it closes. A second signal stops at once. A failure to start exits
// non-zero.
// `finish` runs once the process has closed, before it exits: the trace exporter's last flush.
export async function runUntilSignalled(
  log: Logger,
  start: () => Promise<{ close(graceMs: number): Promise<void> }>,
  finish?: () => Promise<void>,
): Promise<void> {
  const graceMs = shutdownGraceMs();
  let running: { close(graceMs: number): Promise<void> };
  try {
    running = await start();
  } catch (err) {
    log.fatal({ err }, "failed to start");
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, "stopping now");
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, graceMs }, "draining");
    try {
      await running.close(graceMs);
      await finish?.().catch((err: unknown) => log.warn({ err }, "flushing traces failed"));
      log.info("stopped");
      process.exit(0);
    } catch (err) {
      log.error({ err }, "failed to stop cleanly");
      process.exit(1);
    }
  };
  process.on("SIGINT", (s) => void stop(s));
  process.on("SIGTERM", (s) => void stop(s));
}

// How long a stopping process lets the work in flight finish (the manifests' termination grace
// must exceed it).
export function shutdownGraceMs(): number {
  return envInt("SHUTDOWN_GRACE_MS", 25_000);
}

// The `migrate` command of a service: applies its migrations to its database and exits.
export async function migrateAndExit(log: Logger, databaseUrl: string, migrations: Record<string, Migration>): Promise<void> {
  const db = createDatabase(databaseUrl, log);
  try {
    log.info({ applied: await migrateToLatest(db, migrations) }, "migrated");
  } catch (err) {
    log.fatal({ err }, "migration failed");
    process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}
