// First: tracing hooks the modules loaded after it.
import { tracing } from "./tracing";
import { createLogger } from "@flowshield/common/observability/logger";
import { migrateAndExit, runUntilSignalled } from "@flowshield/common/runtime/main-runner";
import { authConfigFromEnv } from "./config";
import { authMigrations } from "./kernel/adapters/db/migrations";
import { startAuthService } from "./server";

// `tsx services/auth/src/main.ts` serves; `... main.ts migrate` applies migrations and exits.
const log = createLogger("auth");
const config = authConfigFromEnv();

if (process.argv[2] === "migrate") void migrateAndExit(log, config.databaseUrl, authMigrations);
else void runUntilSignalled(log, () => startAuthService(config, log), tracing?.shutdown);
