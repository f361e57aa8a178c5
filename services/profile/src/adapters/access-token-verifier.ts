import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import { ACCESS_TOKEN_CLAIMS, ACCESS_TOKEN_TYPE, isClientToken } from "@flowshield/common/contract/access-token";
import { UnauthenticatedError, UnavailableError } from "@flowshield/common/contract/errors";
import type { AccessTokenVerifier } from "../app/dependencies";

export interface VerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
}

// Verifies access tokens against the auth service's JWKS. jose caches the key set and fetches it
// again when a token names a kid it does not know (after a key rotation), at most every 30 s.
export function createAccessTokenVerifier(options: VerifierOptions): AccessTokenVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: ["EdDSA", "ES256"],
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ACCESS_TOKEN_CLAIMS,
        });
        if (isClientToken(payload)) throw new errors.JWTClaimValidationFailed("a client's token", payload, "client_id");
        return payload.sub as string;
      } catch (err) {
        if (err instanceof errors.JWKSTimeout || err instanceof TypeError) {
          // The key set could not be fetched: the auth service is unreachable, not the token bad.
          throw new UnavailableError("KEYS_UNAVAILABLE", "cannot verify access tokens right now; retry shortly");
        }
        if (err instanceof errors.JOSEError) {
          throw new UnauthenticatedError("ACCESS_TOKEN_INVALID", "the access token is invalid or expired");
        }
        throw err;
      }
    },
  };
}
