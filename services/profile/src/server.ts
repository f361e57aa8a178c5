import { createDatabase, migrateToLatest } from "@flowshield/common/database";
import type { Logger } from "@flowshield/common/logger";
import type { RunningService } from "@flowshield/common/service-listeners";
import { startServiceRuntime } from "@flowshield/common/service-runtime";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import { createAccessTokenVerifier } from "./adapters/access-token-verifier";
import { profileMigrations } from "./adapters/db/migrations";
import { createProfileRepository } from "./adapters/db/profile-repository";
import type { ProfileDatabase } from "./adapters/db/schema";
import type { ProfileConfig } from "./config";
import { profileAdminServiceRoutes } from "./ports/profile-admin-service";
import { profileServiceRoutes } from "./ports/profile-service";

export type RunningProfileService = RunningService<ProfileDatabase>;

// The profile service's composition root: database, token verifier, readiness, and its two listeners.
export async function startProfileService(config: ProfileConfig, log: Logger): Promise<RunningProfileService> {
  const db = createDatabase<ProfileDatabase>(config.databaseUrl, log);
  if (config.migrateOnStart) await migrateToLatest(db, profileMigrations);
  const profiles = createProfileRepository(db);
  const tokens = createAccessTokenVerifier({ jwksUrl: config.jwksUrl, issuer: config.issuer, audience: config.audience });
  return startServiceRuntime({
    name: "profile",
    host: config.host,
    log,
    serviceCredential: config.serviceCredential,
    healthCheckIntervalMs: config.healthCheckIntervalMs,
    db,
    public: { port: config.publicPort, services: [ProfileService], routes: profileServiceRoutes({ profiles, tokens }) },
    internal: { port: config.internalPort, services: [ProfileAdminService], routes: profileAdminServiceRoutes(profiles) },
  });
}
