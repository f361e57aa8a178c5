import { envString } from "@flowshield/common/runtime/config";
import { createLogger } from "@flowshield/common/observability/logger";
import { migrateAndExit } from "@flowshield/common/runtime/main-runner";
import { authMigrations } from "@flowshield/auth/db";
import { profileMigrations } from "@flowshield/profile/db";

// The image's migrate role: `node dist/migrate.js auth|profile` applies that service's migrations
// to its database and exits — the compose file's and Kubernetes' migration jobs, which run before
// the services start with MIGRATE_ON_START=false. It reads the database URL only: a job holds no
// other secret of the service.
const SERVICES = {
  auth: { databaseUrl: "AUTH_DATABASE_URL", migrations: authMigrations },
  profile: { databaseUrl: "PROFILE_DATABASE_URL", migrations: profileMigrations },
};

const name = process.argv[2];
if (name !== "auth" && name !== "profile") {
  console.error(`usage: migrate.js <${Object.keys(SERVICES).join("|")}>`);
  process.exit(2);
}
const service = SERVICES[name];
void migrateAndExit(createLogger(`${name}-migrate`), envString(service.databaseUrl), service.migrations);
