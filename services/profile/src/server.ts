import { createDatabase, migrateToLatest, pingDatabase } from "@flowshield/common/database";
import { HealthStatus } from "@flowshield/common/health";
import type { Logger } from "@flowshield/common/logger";
import { startReadinessChecks } from "@flowshield/common/readiness";
import { startServiceListeners, type RunningService } from "@flowshield/common/service-listeners";
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
  await migrateToLatest(db, profileMigrations);
  const profiles = createProfileRepository(db);
  const tokens = createAccessTokenVerifier({ jwksUrl: config.jwksUrl, issuer: config.issuer, audience: config.audience });
  const serviceNames = [ProfileService.typeName, ProfileAdminService.typeName];
  const health = new HealthStatus(serviceNames);
  const readiness = startReadinessChecks({
    health,
    serviceNames,
    log,
    intervalMs: config.healthCheckIntervalMs,
    checks: [{ name: "database", probe: () => pingDatabase(db) }],
  });
  const listeners = await startServiceListeners({
    name: "profile",
    host: config.host,
    log,
    health,
    serviceCredential: config.serviceCredential,
    public: { port: config.publicPort, services: [ProfileService], routes: profileServiceRoutes({ profiles, tokens }) },
    internal: { port: config.internalPort, services: [ProfileAdminService], routes: profileAdminServiceRoutes(profiles) },
  });
  return {
    publicUrl: listeners.publicUrl,
    internalUrl: listeners.internalUrl,
    db,
    health,
    readiness,
    async close(graceMs = 0) {
      health.drain();
      await readiness.stop();
      await listeners.close(graceMs);
      await db.destroy();
    },
  };
}
