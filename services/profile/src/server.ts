import { createDatabase, migrateToLatest, pingDatabase } from "@flowshield/common/database";
import { HealthStatus } from "@flowshield/common/health";
import { startReadinessChecks } from "@flowshield/common/readiness";
import { startServiceListeners, type RunningService } from "@flowshield/common/service-listeners";
import type { Logger } from "@flowshield/common/logger";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import { createAccessTokenVerifier } from "./access-token-verifier";
import type { ProfileConfig } from "./config";
import type { ProfileDatabase } from "./db/schema";
import { profileMigrations } from "./db/migrations";
import { profileAdminServiceRoutes } from "./profile-admin-service";
import { profileServiceRoutes } from "./profile-service";

export type RunningProfileService = RunningService<ProfileDatabase>;

// The profile service's composition root: database, token verifier, readiness, and its two listeners.
export async function startProfileService(config: ProfileConfig, log: Logger): Promise<RunningProfileService> {
  const db = createDatabase<ProfileDatabase>(config.databaseUrl, log);
  await migrateToLatest(db, profileMigrations);
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
    public: { port: config.publicPort, services: [ProfileService], routes: profileServiceRoutes(db, tokens) },
    internal: { port: config.internalPort, services: [ProfileAdminService], routes: profileAdminServiceRoutes(db) },
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
