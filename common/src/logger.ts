import pino, { type DestinationStream, type Logger } from "pino";
import { currentRequestContext } from "./request-context";

export type { Logger };

// Every key that could carry a secret, at any of the depths our log calls use. pino replaces the
// value, so a careless `log.info({ req })` still cannot leak a password, hash or token.
const SECRET_KEYS = [
  "password",
  "passwordHash",
  "password_hash",
  "accessToken",
  "access_token",
  "token",
  "authorization",
  "serviceCredential",
  "previousServiceCredential",
  "credential",
  "privateKey",
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? "info", destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    // Every line written while a call is served carries its request id.
    mixin: () => {
      const context = currentRequestContext();
      return context === undefined ? {} : { requestId: context.requestId };
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
