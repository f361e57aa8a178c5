import type { Interceptor } from "@connectrpc/connect";
import { toConnectError } from "./error-catalogue";
import { UnauthenticatedError } from "./errors";
import { HealthService } from "./health";
import { matchesSecret, sha256 } from "./secret-digest";

// Internal listeners accept only callers holding the shared service credential, sent as
// `authorization: Bearer <credential>`. Health checks stay open so that probes need no secret.
// During a rotation the services also accept the previous credential (SERVICE_CREDENTIAL_PREVIOUS)
// while the worker, the one caller, moves to the new one: deploy/README.md, rotating secrets.

const MIN_CREDENTIAL_LENGTH = 32;

export function checkCredentialStrength(credential: string): string {
  if (credential.length < MIN_CREDENTIAL_LENGTH) {
    throw new Error(`the service credential must be at least ${MIN_CREDENTIAL_LENGTH} characters`);
  }
  return credential;
}

export function requireServiceCredential(credential: string, previous?: string): Interceptor {
  const accepted = [credential, ...(previous !== undefined ? [previous] : [])].map((c) => sha256(`Bearer ${checkCredentialStrength(c)}`));
  return (next) => async (req) => {
    if (req.service.typeName === HealthService.typeName) return next(req);
    const given = req.header.get("authorization");
    // Every accepted credential is compared, so the time taken does not tell which one matched.
    const matches = given === null ? [] : accepted.map((expected) => matchesSecret(given, expected));
    if (!matches.includes(true)) {
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
