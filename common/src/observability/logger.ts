import pino, { type DestinationStream, type Logger } from "pino";
import { currentRequestContext } from "./request-context";

export type { Logger };

// Every key that could carry a secret, at any of the depths our log calls use. pino replaces the
// value, so a careless `log.info({ req })` still cannot leak a password, hash or token.
// Both spellings of each: the proto's (snake_case, as in a form or a JSON body) and TypeScript's.
const SECRET_KEYS = [
  "password",
  "passwordHash",
  "password_hash",
  "newPassword",
  "new_password",
  "currentPassword",
  "current_password",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "idToken",
  "id_token",
  "token",
  "code_verifier",
  "codeVerifier",
  "clientSecret",
  "client_secret",
  "secret",
  "authorization",
  "cookie",
  "set-cookie",
  "serviceCredential",
  "previousServiceCredential",
  "operatorCredential",
  "credential",
  "privateKey",
  "payloadKeys",
];
// A mailed code or an OAuth code is a `code` inside something (a form, a query); at the top a
// log line's `code` is the RPC's status code (request-log.ts), which stays.
const NESTED_SECRET_KEYS = ["code"];
const REDACT_PATHS = [
  ...SECRET_KEYS.map((key) => (/^[A-Za-z_]\w*$/.test(key) ? `.${key}` : `["${key}"]`)).flatMap((at) => [
    at.replace(/^\./, ""),
    `*${at}`,
    `*.*${at}`,
  ]),
  ...NESTED_SECRET_KEYS.flatMap((key) => [`*.${key}`, `*.*.${key}`]),
];

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
