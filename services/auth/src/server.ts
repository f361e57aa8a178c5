import { randomInt } from "node:crypto";
import { codecEndpoint } from "@flowshield/common/temporal/codec-endpoint";
import { parseTrustedProxies } from "@flowshield/common/runtime/client-address";
import { createDatabase, createPool, migrateToLatest } from "@flowshield/common/runtime/database";
import type { Logger } from "@flowshield/common/observability/logger";
import { createMailer } from "@flowshield/common/mail/mailer";
import { createMetricsRegistry } from "@flowshield/common/observability/metrics";
import { EncryptionCodec } from "@flowshield/common/temporal/payload-codec";
import { checkCredentialStrength } from "@flowshield/common/runtime/service-credential";
import type { RunningService } from "@flowshield/common/runtime/service-listeners";
import { startServiceRuntime } from "@flowshield/common/runtime/service-runtime";
import { tlsFilesIn } from "@flowshield/common/runtime/tls-files";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { createTemporalClient } from "@flowshield/common/temporal/client";
import type { AuthDeps } from "./kernel/app/dependencies";
import { ACCESS_TOKEN_TTL_SECONDS, createAccessTokenIssuer } from "./sessions/adapters/access-tokens";
import { createAuditLog } from "./audit/adapters/db/audit-log";
import { createEmailCodes } from "./email-codes/adapters/db/email-codes";
import { authMigrations } from "./kernel/adapters/db/migrations";
import { createRegistrationCredentials } from "./registration/adapters/db/registration-credentials";
import type { AuthDatabase } from "./kernel/adapters/db/schema";
import { createSessionStore } from "./sessions/adapters/db/session-store";
import { createUserRepository } from "./kernel/adapters/db/user-repository";
import { createLifecycleGateway } from "./kernel/adapters/lifecycle-gateway";
import { createBcryptQueue } from "./passwords/adapters/bcrypt-queue";
import { bcryptThreads, createBcryptHasher } from "./passwords/adapters/password-hasher";
import { createRateLimits, NO_RATE_LIMITS } from "./limits/adapters/rate-limits";
import { createRegistrationGateway } from "./registration/adapters/registration-gateway";
import { createSecrets } from "./kernel/adapters/secrets";
import { loadSigningKeys } from "./kernel/adapters/signing-keys";
import type { AuthConfig } from "./config";
import { authServiceRoutes } from "./kernel/ports/auth-service";
import { jwksEndpoint } from "./oauth/ports/jwks-endpoint";
import { loadProviderKeys } from "./oauth/adapters/keys";
import { startOidcProvider } from "./oauth/ports/provider";
import { profileClaimsReader } from "./oauth/adapters/profile-claims";
import { createAppGrants } from "./oauth/adapters/app-grants";
import { createOAuthClientStore } from "./oauth/adapters/clients";
import { createClientCache } from "./oauth/adapters/client-cache";
import { oauthClientAdminServiceRoutes } from "./oauth/ports/oauth-client-admin-service";
import { oidcEndpoint } from "./oauth/ports/oidc-endpoint";
import { accountConsole } from "./account-console/ports/account-console";
import { createAuthApplication } from "./kernel/app/application";
import { OAuthClientAdminService } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { authInternalCallers } from "./kernel/ports/internal-callers";
import { userAdminServiceRoutes } from "./users/ports/user-admin-service";
import { createFactorStore } from "./mfa/adapters/db/factor-store";
import { createChallengeStore } from "./mfa/adapters/db/challenge-store";
import { createFactorSecretBox } from "./mfa/adapters/factor-secret-box";
import { createPasskeyStore } from "./passkeys/adapters/db/passkey-store";
import { createWebAuthn } from "./passkeys/adapters/webauthn";
import { relyingPartyOf } from "./passkeys/domain/passkey";
import { startRiskEngine } from "./risk/adapters/risk-engine-adapters";

export type RunningAuthService = RunningService<AuthDatabase>;

// The auth service's composition root: database, keys, its one Temporal client, the use cases'
// adapters, readiness, and its two listeners.
// `replace` swaps adapters for tests that must observe them (counting bcrypt calls; the bcrypt
// queue still admits them).
export async function startAuthService(
  config: AuthConfig,
  log: Logger,
  replace: Partial<Pick<AuthDeps, "hasher">> = {},
): Promise<RunningAuthService> {
  // One pool: kysely's, and the rate limiter's (rate-limiter-flexible speaks pg directly).
  const pool = createPool(config.databaseUrl, log);
  const metrics = createMetricsRegistry();
  const db = createDatabase<AuthDatabase>(pool, log);
  if (config.migrateOnStart) await migrateToLatest(db, authMigrations);
  const signingKeys = await loadSigningKeys(db, { json: config.signingKeyJson, file: config.signingKeyFile });
  // The secrets derived from the signing key (refresh successors, the pages' CSRF tokens, cookies)
  // follow the current one.
  const signingKey = signingKeys.current;
  const providerKeys = await loadProviderKeys(db, signingKeys, { json: config.oidcRsaKeyJson, file: config.oidcRsaKeyFile });
  const temporal = createTemporalClient({
    address: config.temporalAddress,
    namespace: config.temporalNamespace,
    payloadKeys: config.payloadKeys,
    tlsDir: config.temporalTlsDir,
  });
  const trustedProxies = parseTrustedProxies(config.trustedProxies);
  const mailer = createMailer(config.mail);
  const audit = createAuditLog(db);
  const clientCache = createClientCache();
  const deps: AuthDeps = {
    users: createUserRepository(db),
    oauthClients: createOAuthClientStore(db, clientCache),
    appGrants: createAppGrants(db),
    credentials: createRegistrationCredentials(db),
    codes: createEmailCodes(db),
    sessions: createSessionStore(db),
    audit,
    hasher: replace.hasher ?? createBcryptHasher(config.bcryptCost),
    bcrypt: createBcryptQueue({ concurrency: bcryptThreads(), queueLimit: config.bcryptQueueLimit }, metrics),
    tokens: createAccessTokenIssuer(signingKeys, { issuer: config.issuer, audience: config.audience }),
    secrets: createSecrets(signingKey.secret),
    limits: config.rateLimits
      ? createRateLimits(
          pool,
          {
            loginFailuresPerIp: config.loginFailuresPerIp,
            registrationsPerIp: config.registrationsPerIp,
            passkeyLoginsPerIp: config.passkeyLoginsPerIp,
          },
          metrics,
        )
      : NO_RATE_LIMITS,
    registration: createRegistrationGateway(
      temporal,
      { taskQueue: config.taskQueue, startTimeoutMs: 5_000, resultTimeoutMs: config.registerTimeoutMs },
      metrics,
    ),
    lifecycle: createLifecycleGateway(temporal, config.taskQueue, log),
    // After the answer, at a random moment within half a second: work an answer did not wait for
    // (for a known email only) would otherwise slow the *next* answer instead, telling a patient
    // caller what this one did not (test/attacks/codes.test.ts times it).
    background: (task) => {
      const run = () => task().catch((err: unknown) => log.error({ err }, "work after an answer failed"));
      setTimeout(run, randomInt(50, 500)).unref();
    },
    mailer,
    factors: createFactorStore(db),
    challenges: createChallengeStore(db),
    factorSecrets: createFactorSecretBox(config.payloadKeys),
    passkeys: createPasskeyStore(db),
    webauthn: createWebAuthn(relyingPartyOf(config.publicUrl)),
    risk: await startRiskEngine(config, { db, pool, audit, metrics, log }),
    clock: () => new Date(),
    settings: {
      publicUrl: config.publicUrl,
      sessions: { refreshTtlMs: config.refreshTtlMs, idleTtlMs: config.refreshIdleTtlMs, reuseGraceMs: config.refreshReuseGraceMs },
      requireVerifiedEmail: config.requireVerifiedEmail,
      emailVerifyTtlMs: config.emailVerifyTtlMs,
    },
  };
  // The one application object every entry point below calls.
  const app = createAuthApplication(deps, { oauthResourceServers: config.oidcResourceServers });
  const oidc = startOidcProvider({
    app,
    db,
    clientCache,
    profileClaims: profileClaimsReader({ profileUrl: config.profileUrl, cacheMs: 30_000, timeoutMs: 1_000, log }),
    settings: {
      publicUrl: config.publicUrl,
      resourceServers: config.oidcResourceServers,
      accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: Math.round(config.refreshTtlMs / 1000),
      refreshReuseGraceMs: config.refreshReuseGraceMs,
    },
    privateJwks: { keys: providerKeys.privateJwks },
    // Every key's: a sign-in under way when the keys rotate keeps its cookies.
    cookieSecrets: [signingKey, ...signingKeys.others].map((k) => k.secret),
    trustedProxies,
    log,
  });
  return startServiceRuntime({
    name: "auth",
    host: config.host,
    log,
    internalCallers: authInternalCallers({
      worker: config.serviceCredential,
      workerPrevious: config.previousServiceCredential,
      operator: config.operatorCredential,
    }),
    healthCheckIntervalMs: config.healthCheckIntervalMs,
    db,
    metrics: { registry: metrics, port: config.metricsPort, pool },
    // Without Temporal only Register stops: Temporal's outage marks the AuthService entry alone,
    // and logins go on being served.
    checks: [{ name: "temporal", services: [AuthService.typeName], probe: () => temporal.ping(config.healthCheckIntervalMs) }],
    public: {
      port: config.publicPort,
      services: [AuthService],
      routes: authServiceRoutes(app, trustedProxies),
      mounts: [
        jwksEndpoint(providerKeys.publicJwks),
        oidcEndpoint({
          provider: oidc.provider,
          app,
          csrfSecret: signingKey.secret,
          trustedProxies,
          secureCookies: config.publicUrl.startsWith("https:"),
          log,
        }),
        accountConsole({ app, csrfSecret: signingKey.secret, publicUrl: config.publicUrl, trustedProxies, log }),
      ],
    },
    internal: {
      port: config.internalPort,
      tls: tlsFilesIn(config.internalTlsDir),
      services: [UserAdminService, OAuthClientAdminService],
      routes: (router) => {
        userAdminServiceRoutes(app)(router);
        oauthClientAdminServiceRoutes(app)(router);
      },
    },
    // For operators only, on a port that is never exposed: the Temporal UI's decoder. Its own
    // plaintext listener, as a browser holds no client certificate for the internal one.
    ...(config.operatorCredential === undefined
      ? {}
      : {
          operatorTools: {
            port: config.codecPort,
            mounts: [
              codecEndpoint({
                // It shows operators what is there, encrypted or not.
                codec: new EncryptionCodec(config.payloadKeys, { passUnencrypted: true }),
                operatorCredential: checkCredentialStrength(config.operatorCredential),
                allowedOrigins: config.codecCorsOrigins,
              }),
            ],
          },
        }),
    closeAlso: async () => {
      oidc.close();
      mailer.close();
      await temporal.close();
    },
  });
}
