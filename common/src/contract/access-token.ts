import { UnauthenticatedError } from "./errors";

// What makes a JWT a first-party access token, for the service that issues them (auth) and every
// one that takes them (auth's bearer RPCs, profile): typed as an access token (RFC 9068), of a
// session — so neither another JWT the signing key makes nor one of the OpenID provider's (a
// client's, without a session) passes, whatever its issuer and audience say.
export const ACCESS_TOKEN_TYPE = "at+jwt";
export const ACCESS_TOKEN_CLAIMS = ["sub", "exp", "iat", "jti", "sid"];

// The OpenID provider's access tokens name their client; a first-party one never does.
export function isClientToken(payload: Record<string, unknown>): boolean {
  return payload.client_id !== undefined;
}

// The token of an `authorization: Bearer <token>` header, or UNAUTHENTICATED.
export function bearerToken(authorization: string | null): string {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? "");
  if (match?.[1] === undefined) {
    throw new UnauthenticatedError("ACCESS_TOKEN_REQUIRED", "an access token is required: authorization: Bearer <token>");
  }
  return match[1];
}
