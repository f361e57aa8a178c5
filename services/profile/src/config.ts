import { envBool, envInt, envOptional, envString } from "@flowshield/common/runtime/config";
import { listenerPort, localUrl } from "@flowshield/common/runtime/topology";

export interface ProfileConfig {
  host: string;
  publicPort: number;
  internalPort: number;
  // Mutual TLS on the internal listener (INTERNAL_TLS_DIR: its certificate, the worker's CA).
  internalTlsDir?: string | undefined;
  // Prometheus scrapes GET /metrics here.
  metricsPort: number;
  databaseUrl: string;
  // Off where migration jobs apply the schema before the service starts (compose, Kubernetes).
  migrateOnStart: boolean;
  serviceCredential: string;
  // SERVICE_CREDENTIAL_PREVIOUS: also accepted while the credential is rotated.
  previousServiceCredential?: string | undefined;
  jwksUrl: string;
  issuer: string;
  audience: string;
  healthCheckIntervalMs: number;
}

export function profileConfigFromEnv(): ProfileConfig {
  return {
    host: envString("PROFILE_HOST", "127.0.0.1"),
    publicPort: listenerPort("profilePublic"),
    internalPort: listenerPort("profileInternal"),
    internalTlsDir: envOptional("INTERNAL_TLS_DIR"),
    metricsPort: listenerPort("profileMetrics"),
    databaseUrl: envString("PROFILE_DATABASE_URL"),
    migrateOnStart: envBool("MIGRATE_ON_START", true),
    serviceCredential: envString("SERVICE_CREDENTIAL"),
    previousServiceCredential: envOptional("SERVICE_CREDENTIAL_PREVIOUS"),
    jwksUrl: envString("AUTH_JWKS_URL", localUrl("authPublic", "/.well-known/jwks.json")),
    issuer: envString("TOKEN_ISSUER", "flowshield"),
    audience: envString("TOKEN_AUDIENCE", "flowshield"),
    healthCheckIntervalMs: envInt("HEALTH_CHECK_INTERVAL_MS", 2_000),
  };
}
