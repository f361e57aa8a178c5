import { createDatabase, migrateToLatest, pingDatabase } from "@flowshield/common/database";
import { HealthStatus } from "@flowshield/common/health";
import { codecEndpoint } from "@flowshield/common/codec-endpoint";
import { EncryptionCodec } from "@flowshield/common/payload-codec";
import { checkCredentialStrength } from "@flowshield/common/service-credential";
import { startReadinessChecks } from "@flowshield/common/readiness";
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

// The auth service's composition root: database, keys, Temporal client, readiness, and its two listeners.
export async function startAuthService(config: AuthConfig, log: Logger): Promise<RunningAuthService> {
  const db = createDatabase<AuthDatabase>(config.databaseUrl, log);
  await migrateToLatest(db, authMigrations);
  const signingKey = await loadSigningKey(db, { json: config.signingKeyJson, file: config.signingKeyFile });
  const registration = createRegistrationStarter({
    temporalAddress: config.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    payloadKeys: config.payloadKeys,
    startTimeoutMs: 5_000,
    resultTimeoutMs: config.registerTimeoutMs,
  });
  const serviceNames = [AuthService.typeName, UserAdminService.typeName];
  const health = new HealthStatus(serviceNames);
  // Without its database the service can do nothing; without Temporal only Register stops, so
  // Temporal's outage marks the AuthService entry alone and logins go on being served.
  const readiness = startReadinessChecks({
    health,
    serviceNames,
    log,
    intervalMs: config.healthCheckIntervalMs,
    checks: [
      { name: "database", probe: () => pingDatabase(db) },
      { name: "temporal", services: [AuthService.typeName], probe: () => registration.ping(config.healthCheckIntervalMs) },
    ],
  });
  const listeners = await startServiceListeners({
    name: "auth",
    host: config.host,
    log,
    health,
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
      mounts: [jwksEndpoint([signingKey])],
    },
    internal: {
      port: config.internalPort,
      services: [UserAdminService],
      routes: userAdminServiceRoutes(db),
      // For operators only, so on the listener that is never exposed: the Temporal UI's decoder.
      mounts:
        config.operatorCredential === undefined
          ? []
          : [
              codecEndpoint({
                codec: new EncryptionCodec(config.payloadKeys),
                operatorCredential: checkCredentialStrength(config.operatorCredential),
                allowedOrigins: config.codecCorsOrigins,
              }),
            ],
    },
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
      await registration.close();
      await db.destroy();
    },
  };
}
