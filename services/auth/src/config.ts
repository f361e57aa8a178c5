import { envInt, envOptional, envString } from "@flowshield/common/config";
import { payloadKeysFromEnv, type PayloadKey } from "@flowshield/common/payload-codec";
import { DEFAULT_TASK_QUEUE } from "@flowshield/workflows/task-queue";

export interface AuthConfig {
  host: string;
  publicPort: number;
  internalPort: number;
  databaseUrl: string;
  serviceCredential: string;
  bcryptCost: number;
  issuer: string;
  audience: string;
  signingKeyJson?: string;
  signingKeyFile?: string;
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  registerTimeoutMs: number;
  healthCheckIntervalMs: number;
  payloadKeys: PayloadKey[];
  // Serves the payload codec endpoint on the internal listener when set.
  operatorCredential?: string;
  codecCorsOrigins: string[];
}

export function authConfigFromEnv(): AuthConfig {
  return {
    host: envString("AUTH_HOST", "127.0.0.1"),
    publicPort: envInt("AUTH_PUBLIC_PORT", 8081),
    internalPort: envInt("AUTH_INTERNAL_PORT", 9081),
    databaseUrl: envString("AUTH_DATABASE_URL"),
    serviceCredential: envString("SERVICE_CREDENTIAL"),
    bcryptCost: envInt("BCRYPT_COST", 12),
    issuer: envString("TOKEN_ISSUER", "flowshield"),
    audience: envString("TOKEN_AUDIENCE", "flowshield"),
    signingKeyJson: envOptional("AUTH_SIGNING_KEY"),
    signingKeyFile: envOptional("AUTH_SIGNING_KEY_FILE"),
    temporalAddress: envString("TEMPORAL_ADDRESS", "localhost:7233"),
    temporalNamespace: envString("TEMPORAL_NAMESPACE", "default"),
    taskQueue: envString("TEMPORAL_TASK_QUEUE", DEFAULT_TASK_QUEUE),
    registerTimeoutMs: envInt("REGISTER_TIMEOUT_MS", 30_000),
    healthCheckIntervalMs: envInt("HEALTH_CHECK_INTERVAL_MS", 2_000),
    payloadKeys: payloadKeysFromEnv(),
    operatorCredential: envOptional("OPERATOR_CREDENTIAL"),
    codecCorsOrigins: envString("CODEC_CORS_ORIGINS", "http://localhost:8233")
      .split(",")
      .map((o) => o.trim()),
  };
}
