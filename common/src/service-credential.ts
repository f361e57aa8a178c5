import type { Interceptor } from "@connectrpc/connect";
import { toConnectError } from "./error-catalogue";
import { UnauthenticatedError } from "./errors";
import { HealthService } from "./health";
import { matchesSecret, sha256 } from "./secret-digest";

// Internal listeners accept only callers holding the shared service credential, sent as
// `authorization: Bearer <credential>`. Health checks stay open so that probes need no secret.

const MIN_CREDENTIAL_LENGTH = 32;

export function checkCredentialStrength(credential: string): string {
  if (credential.length < MIN_CREDENTIAL_LENGTH) {
    throw new Error(`the service credential must be at least ${MIN_CREDENTIAL_LENGTH} characters`);
  }
  return credential;
}

export function requireServiceCredential(credential: string): Interceptor {
  const expected = sha256(`Bearer ${checkCredentialStrength(credential)}`);
  return (next) => async (req) => {
    if (req.service.typeName === HealthService.typeName) return next(req);
    const given = req.header.get("authorization");
    if (given === null || !matchesSecret(given, expected)) {
      throw toConnectError(new UnauthenticatedError("SERVICE_CREDENTIAL_REQUIRED", "missing or wrong service credential"));
    }
    return next(req);
  };
}

export function sendServiceCredential(credential: string): Interceptor {
  return (next) => async (req) => {
    req.header.set("authorization", `Bearer ${credential}`);
    return next(req);
  };
}
