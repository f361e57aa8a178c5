import type { Kysely } from "kysely";
import { createDatabase, migrateToLatest } from "@flowshield/common/database";
import { startListener } from "@flowshield/common/listener";
import type { Logger } from "@flowshield/common/logger";
import { requireServiceCredential } from "@flowshield/common/service-credential";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import { createAccessTokenVerifier } from "./access-token-verifier";
import type { ProfileConfig } from "./config";
import type { ProfileDatabase } from "./db/schema";
import { profileMigrations } from "./db/migrations";
import { profileAdminServiceRoutes } from "./profile-admin-service";
import { profileServiceRoutes } from "./profile-service";

export interface RunningProfileService {
  publicUrl: string;
  internalUrl: string;
  db: Kysely<ProfileDatabase>;
  close(): Promise<void>;
}

// The profile service's composition root: database, token verifier, and its two listeners.
export async function startProfileService(config: ProfileConfig, log: Logger): Promise<RunningProfileService> {
  const db = createDatabase<ProfileDatabase>(config.databaseUrl);
  await migrateToLatest(db, profileMigrations);
  const tokens = createAccessTokenVerifier({ jwksUrl: config.jwksUrl, issuer: config.issuer, audience: config.audience });
  const publicListener = await startListener({
    name: "profile-public",
    host: config.host,
    port: config.publicPort,
    log,
    services: [ProfileService],
    routes: profileServiceRoutes(db, tokens),
  });
  const internalListener = await startListener({
    name: "profile-internal",
    host: config.host,
    port: config.internalPort,
    log,
    services: [ProfileAdminService],
    routes: profileAdminServiceRoutes(db),
    interceptors: [requireServiceCredential(config.serviceCredential)],
  });
  return {
    publicUrl: publicListener.url,
    internalUrl: internalListener.url,
    db,
    async close() {
      await Promise.all([publicListener.close(), internalListener.close()]);
      await db.destroy();
    },
  };
}
