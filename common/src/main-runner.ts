import type { Migration } from "kysely/migration";
import { createDatabase, migrateToLatest } from "./database";
import type { Logger } from "./logger";

// Runs a service until SIGINT or SIGTERM, then closes it; a failure to start exits non-zero.
export async function runUntilSignalled(log: Logger, start: () => Promise<{ close(): Promise<void> }>): Promise<void> {
  let running: { close(): Promise<void> };
  try {
    running = await start();
  } catch (err) {
    log.fatal({ err }, "failed to start");
    process.exit(1);
  }
  const stop = async (signal: string) => {
    log.info({ signal }, "stopping");
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", (s) => void stop(s));
  process.once("SIGTERM", (s) => void stop(s));
}

// The `migrate` command of a service: applies its migrations to its database and exits.
export async function migrateAndExit(log: Logger, databaseUrl: string, migrations: Record<string, Migration>): Promise<void> {
  const db = createDatabase(databaseUrl);
  try {
    log.info({ applied: await migrateToLatest(db, migrations) }, "migrated");
  } catch (err) {
    log.fatal({ err }, "migration failed");
    process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}
