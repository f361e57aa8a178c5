import { codecEndpoint } from "@flowshield/common/codec-endpoint";
import { createDatabase, migrateToLatest } from "@flowshield/common/database";
import type { Logger } from "@flowshield/common/logger";
import { EncryptionCodec } from "@flowshield/common/payload-codec";
import { checkCredentialStrength } from "@flowshield/common/service-credential";
import type { RunningService } from "@flowshield/common/service-listeners";
import { startServiceRuntime } from "@flowshield/common/service-runtime";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { createTemporalClient } from "@flowshield/workflows/temporal-client";
import { createAccessTokenIssuer } from "./adapters/access-tokens";
import { authMigrations } from "./adapters/db/migrations";
import type { AuthDatabase } from "./adapters/db/schema";
import { createUserRepository } from "./adapters/db/user-repository";
import { createBcryptHasher } from "./adapters/password-hasher";
import { createRegistrationGateway } from "./adapters/registration-gateway";
import { loadSigningKey } from "./adapters/signing-keys";
import type { AuthConfig } from "./config";
import { authServiceRoutes } from "./ports/auth-service";
import { jwksEndpoint } from "./ports/jwks-endpoint";
import { userAdminServiceRoutes } from "./ports/user-admin-service";

export type RunningAuthService = RunningService<AuthDatabase>;

// The auth service's composition root: database, keys, its one Temporal client, the use cases'
// adapters, readiness, and its two listeners.
export async function startAuthService(config: AuthConfig, log: Logger): Promise<RunningAuthService> {
  const db = createDatabase<AuthDatabase>(config.databaseUrl, log);
  await migrateToLatest(db, authMigrations);
  const signingKey = await loadSigningKey(db, { json: config.signingKeyJson, file: config.signingKeyFile });
  const temporal = createTemporalClient({
    address: config.temporalAddress,
    namespace: config.temporalNamespace,
    payloadKeys: config.payloadKeys,
  });
  const users = createUserRepository(db);
  return startServiceRuntime({
    name: "auth",
    host: config.host,
    log,
    serviceCredential: config.serviceCredential,
    healthCheckIntervalMs: config.healthCheckIntervalMs,
    db,
    // Without Temporal only Register stops: Temporal's outage marks the AuthService entry alone,
    // and logins go on being served.
    checks: [{ name: "temporal", services: [AuthService.typeName], probe: () => temporal.ping(config.healthCheckIntervalMs) }],
    public: {
      port: config.publicPort,
      services: [AuthService],
      routes: authServiceRoutes({
        users,
        hasher: createBcryptHasher(config.bcryptCost),
        tokens: createAccessTokenIssuer(signingKey, { issuer: config.issuer, audience: config.audience }),
        registration: createRegistrationGateway(temporal, {
          taskQueue: config.taskQueue,
          startTimeoutMs: 5_000,
          resultTimeoutMs: config.registerTimeoutMs,
        }),
      }),
      mounts: [jwksEndpoint([signingKey])],
    },
    internal: {
      port: config.internalPort,
      services: [UserAdminService],
      routes: userAdminServiceRoutes(users),
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
    closeAlso: () => temporal.close(),
  });
}
