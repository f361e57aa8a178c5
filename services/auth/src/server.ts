import { createDatabase, migrateToLatest } from "@flowshield/common/database";
import { startServiceListeners, type RunningService } from "@flowshield/common/service-listeners";
import type { Logger } from "@flowshield/common/logger";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { authServiceRoutes } from "./auth-service";
import type { AuthConfig } from "./config";
import type { AuthDatabase } from "./db/schema";
import { authMigrations } from "./db/migrations";
import { jwksEndpoint } from "./jwks-endpoint";
import { createBcryptHasher } from "./password-hasher";
import { createRegistrationStarter } from "./registration-starter";
import { loadSigningKey } from "./signing-keys";
import { userAdminServiceRoutes } from "./user-admin-service";

export type RunningAuthService = RunningService<AuthDatabase>;

// The auth service's composition root: database, keys, Temporal client, and its two listeners.
export async function startAuthService(config: AuthConfig, log: Logger): Promise<RunningAuthService> {
  const db = createDatabase<AuthDatabase>(config.databaseUrl);
  await migrateToLatest(db, authMigrations);
  const signingKey = await loadSigningKey(db, { json: config.signingKeyJson, file: config.signingKeyFile });
  const registration = createRegistrationStarter({
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    startTimeoutMs: 5_000,
    resultTimeoutMs: config.registerTimeoutMs,
  });
  const listeners = await startServiceListeners({
    name: "auth",
    host: config.host,
    log,
    serviceCredential: config.serviceCredential,
    public: {
      port: config.publicPort,
      services: [AuthService],
      routes: authServiceRoutes({
        db,
        hasher: createBcryptHasher(config.bcryptCost),
        signingKey,
        tokens: { issuer: config.issuer, audience: config.audience },
        registration,
      }),
      fallback: jwksEndpoint([signingKey]),
    },
    internal: { port: config.internalPort, services: [UserAdminService], routes: userAdminServiceRoutes(db) },
  });
  return {
    publicUrl: listeners.publicUrl,
    internalUrl: listeners.internalUrl,
    db,
    async close() {
      await listeners.close();
      await registration.close();
      await db.destroy();
    },
  };
}
