import { envBool, envDuration, envInt, envOptional, envString } from "@flowshield/common/runtime/config";
import { mailSettingsFromEnv, type MailSettings } from "@flowshield/common/mail/mailer";
import { payloadKeysFromEnv, type PayloadKey } from "@flowshield/common/temporal/payload-codec";
import { listenerPort, LOCAL_TEMPORAL, localUrl } from "@flowshield/common/runtime/topology";
import { DEFAULT_TASK_QUEUE } from "@flowshield/contracts/task-queue";

export interface AuthConfig {
  host: string;
  publicPort: number;
  internalPort: number;
  // Mutual TLS on the internal listener (INTERNAL_TLS_DIR: its certificate, the callers' CA).
  internalTlsDir?: string | undefined;
  // The operators' payload codec (plaintext, for browsers): served when OPERATOR_CREDENTIAL is set.
  codecPort: number;
  // Prometheus scrapes GET /metrics here.
  metricsPort: number;
  databaseUrl: string;
  // Off where migration jobs apply the schema before the service starts (compose, Kubernetes).
  migrateOnStart: boolean;
  serviceCredential: string;
  // SERVICE_CREDENTIAL_PREVIOUS: also accepted while the credential is rotated.
  previousServiceCredential?: string | undefined;
  bcryptCost: number;
  // bcrypt rounds that may wait for a thread before more are refused (passwords/adapters/bcrypt-queue.ts).
  bcryptQueueLimit: number;
  issuer: string;
  audience: string;
  signingKeyJson?: string;
  signingKeyFile?: string;
  // The OpenID provider (README, "OAuth 2.0 and OpenID Connect").
  publicUrl: string;
  oidcRsaKeyJson?: string;
  oidcRsaKeyFile?: string;
  oidcResourceServers: string[];
  // The profile service's public listener, for the `profile` scope's claims.
  profileUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  // Mutual TLS to Temporal's frontend (TEMPORAL_TLS_DIR).
  temporalTlsDir?: string | undefined;
  taskQueue: string;
  registerTimeoutMs: number;
  healthCheckIntervalMs: number;
  payloadKeys: PayloadKey[];
  // Serves the payload codec endpoint (codecPort) when set.
  operatorCredential?: string;
  codecCorsOrigins: string[];
  // The account lifecycle (README, "Account lifecycle").
  emailVerifyTtlMs: number;
  requireVerifiedEmail: boolean;
  // Where the codes are mailed from (SMTP_URL, MAIL_FROM): auth mails them itself.
  mail: MailSettings;
  refreshTtlMs: number;
  refreshIdleTtlMs: number;
  refreshReuseGraceMs: number;
  // Addresses and CIDR ranges whose X-Forwarded-For names the client.
  trustedProxies: string;
  loginFailuresPerIp: number;
  registrationsPerIp: number;
  passkeyLoginsPerIp: number;
  // RATE_LIMITS=off turns every limit off (a gateway enforces them; the benchmark's baseline).
  rateLimits: boolean;
  // The risk engine (README, "Adaptive sign-in and registration risk"): RISK_ENGINE=off turns it
  // off; RISK_POLICY (JSON) or RISK_POLICY_FILE replaces parts of the default policy.
  riskEngine: boolean;
  riskPolicyJson?: string | undefined;
  riskPolicyFile?: string | undefined;
  // The optional external scorer (RISK_SCORER_URL, an OpenAI-compatible API's base).
  riskScorer?: { url: string; model: string; apiKey?: string; budgetMs: number } | undefined;
}

export function authConfigFromEnv(): AuthConfig {
  const publicPort = listenerPort("authPublic");
  // Without a trailing slash: the issuer is PUBLIC_URL + "/oidc".
  const publicUrl = envString("PUBLIC_URL", `http://localhost:${publicPort}`).replace(/\/+$/, "");
  return {
    host: envString("AUTH_HOST", "127.0.0.1"),
    publicPort,
    internalPort: listenerPort("authInternal"),
    internalTlsDir: envOptional("INTERNAL_TLS_DIR"),
    codecPort: listenerPort("authCodec"),
    metricsPort: listenerPort("authMetrics"),
    databaseUrl: envString("AUTH_DATABASE_URL"),
    migrateOnStart: envBool("MIGRATE_ON_START", true),
    serviceCredential: envString("SERVICE_CREDENTIAL"),
    previousServiceCredential: envOptional("SERVICE_CREDENTIAL_PREVIOUS"),
    bcryptCost: envInt("BCRYPT_COST", 12),
    bcryptQueueLimit: envInt("BCRYPT_QUEUE_LIMIT", 64),
    issuer: envString("TOKEN_ISSUER", "flowshield"),
    audience: envString("TOKEN_AUDIENCE", "flowshield"),
    signingKeyJson: envOptional("AUTH_SIGNING_KEY"),
    signingKeyFile: envOptional("AUTH_SIGNING_KEY_FILE"),
    publicUrl,
    profileUrl: envString("PROFILE_URL", localUrl("profilePublic")),
    oidcRsaKeyJson: envOptional("OIDC_RSA_KEY"),
    oidcRsaKeyFile: envOptional("OIDC_RSA_KEY_FILE"),
    oidcResourceServers: envString("OIDC_RESOURCE_SERVERS", publicUrl)
      .split(",")
      .map((r) => r.trim())
      .filter((r) => r !== ""),
    temporalAddress: envString("TEMPORAL_ADDRESS", LOCAL_TEMPORAL.address),
    temporalNamespace: envString("TEMPORAL_NAMESPACE", "default"),
    temporalTlsDir: envOptional("TEMPORAL_TLS_DIR"),
    taskQueue: envString("TEMPORAL_TASK_QUEUE", DEFAULT_TASK_QUEUE),
    registerTimeoutMs: envInt("REGISTER_TIMEOUT_MS", 30_000),
    healthCheckIntervalMs: envInt("HEALTH_CHECK_INTERVAL_MS", 2_000),
    payloadKeys: payloadKeysFromEnv(),
    operatorCredential: envOptional("OPERATOR_CREDENTIAL"),
    codecCorsOrigins: envString("CODEC_CORS_ORIGINS", LOCAL_TEMPORAL.uiUrl)
      .split(",")
      .map((o) => o.trim()),
    emailVerifyTtlMs: envDuration("EMAIL_VERIFY_TTL", 24 * 3_600_000),
    requireVerifiedEmail: envBool("REQUIRE_VERIFIED_EMAIL", true),
    mail: mailSettingsFromEnv(),
    refreshTtlMs: envDuration("REFRESH_TTL", 30 * 86_400_000),
    refreshIdleTtlMs: envDuration("REFRESH_IDLE_TTL", 7 * 86_400_000),
    refreshReuseGraceMs: envDuration("REFRESH_REUSE_GRACE_MS", 10_000),
    trustedProxies: envString("TRUSTED_PROXIES", ""),
    loginFailuresPerIp: envInt("LOGIN_FAILURES_PER_IP", 100),
    registrationsPerIp: envInt("REGISTRATIONS_PER_IP", 20),
    passkeyLoginsPerIp: envInt("PASSKEY_LOGINS_PER_IP", 600),
    rateLimits: envBool("RATE_LIMITS", true),
    riskEngine: envBool("RISK_ENGINE", true),
    riskPolicyJson: envOptional("RISK_POLICY"),
    riskPolicyFile: envOptional("RISK_POLICY_FILE"),
    riskScorer: riskScorerFromEnv(),
  };
}

function riskScorerFromEnv(): AuthConfig["riskScorer"] {
  const url = envOptional("RISK_SCORER_URL");
  if (url === undefined) return undefined;
  const apiKey = envOptional("RISK_SCORER_API_KEY");
  return {
    url,
    model: envString("RISK_SCORER_MODEL", "llama3.2"),
    ...(apiKey !== undefined ? { apiKey } : {}),
    budgetMs: envInt("RISK_SCORER_BUDGET_MS", 300),
  };
}
