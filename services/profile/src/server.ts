import { tlsFilesIn } from "@flowshield/common/runtime/tls-files";
import { createDatabase, createPool, migrateToLatest } from "@flowshield/common/runtime/database";
import { createMetricsRegistry } from "@flowshield/common/observability/metrics";
import type { Logger } from "@flowshield/common/observability/logger";
import { workerCaller } from "@flowshield/common/runtime/service-credential";
import type { RunningService } from "@flowshield/common/runtime/service-listeners";
import { startServiceRuntime } from "@flowshield/common/runtime/service-runtime";
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
  const pool = createPool(config.databaseUrl, log);
  const db = createDatabase<ProfileDatabase>(pool, log);
  if (config.migrateOnStart) await migrateToLatest(db, profileMigrations);
  const profiles = createProfileRepository(db);
  const tokens = createAccessTokenVerifier({ jwksUrl: config.jwksUrl, issuer: config.issuer, audience: config.audience });
  return startServiceRuntime({
    name: "profile",
    host: config.host,
    log,
    // The worker, its one caller: every RPC of the internal listener is a saga step's.
    internalCallers: [workerCaller(config.serviceCredential, config.previousServiceCredential)],
    healthCheckIntervalMs: config.healthCheckIntervalMs,
    db,
    metrics: { registry: createMetricsRegistry(), port: config.metricsPort, pool },
    public: { port: config.publicPort, services: [ProfileService], routes: profileServiceRoutes({ profiles, tokens }) },
    internal: {
      port: config.internalPort,
      tls: tlsFilesIn(config.internalTlsDir),
      services: [ProfileAdminService],
      routes: profileAdminServiceRoutes(profiles),
    },
  });
}
