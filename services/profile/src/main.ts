// First: tracing hooks the modules loaded after it.
import { tracing } from "./tracing";
import { createLogger } from "@flowshield/common/observability/logger";
import { migrateAndExit, runUntilSignalled } from "@flowshield/common/runtime/main-runner";
import { profileConfigFromEnv } from "./config";
import { profileMigrations } from "./adapters/db/migrations";
import { startProfileService } from "./server";

// `tsx services/profile/src/main.ts` serves; `... main.ts migrate` applies migrations and exits.
const log = createLogger("profile");
const config = profileConfigFromEnv();

if (process.argv[2] === "migrate") void migrateAndExit(log, config.databaseUrl, profileMigrations);
else void runUntilSignalled(log, () => startProfileService(config, log), tracing?.shutdown);
