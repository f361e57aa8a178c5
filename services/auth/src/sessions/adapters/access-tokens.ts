import { randomUUID } from "node:crypto";
import { createLocalJWKSet, errors, jwtVerify, SignJWT } from "jose";
import { ACCESS_TOKEN_CLAIMS, ACCESS_TOKEN_TYPE, isClientToken } from "@flowshield/common/contract/access-token";
import { UnauthenticatedError } from "@flowshield/common/contract/errors";
import type { AccessTokenIssuer } from "../app/dependencies";
import { assuranceOf } from "../../mfa/domain/factor";
import { SIGNING_ALG, type SigningKeys } from "../../kernel/adapters/signing-keys";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface TokenSettings {
  issuer: string;
  audience: string;
}

// Access tokens: EdDSA JWTs with kid, iss, sub, aud, iat, exp (15 minutes), jti, sid (the
// session they were issued for, so the session's own RPCs know which one is asking), and amr and
// acr (what the sign-in proved: RFC 8176 methods, and aal1 or aal2). Signed with
// the current key; verified with any key of the set, found by the token's kid.
export function createAccessTokenIssuer(keys: SigningKeys, settings: TokenSettings): AccessTokenIssuer {
  const key = keys.current;
  const verifying = createLocalJWKSet({ keys: [keys.current, ...keys.others].map((k) => k.publicJwk) });
  return {
    async issue(userId, sessionId, amr) {
      const accessToken = await new SignJWT({ sid: sessionId, amr, acr: assuranceOf(amr) })
        .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
        .setIssuer(settings.issuer)
        .setSubject(userId)
        .setAudience(settings.audience)
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
        .setJti(randomUUID())
        .sign(key.privateKey);
      return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },

    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, verifying, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: [SIGNING_ALG],
          typ: ACCESS_TOKEN_TYPE,
          requiredClaims: ACCESS_TOKEN_CLAIMS,
        });
        if (isClientToken(payload)) throw new errors.JWTClaimValidationFailed("a client's token", payload, "client_id");
        return { userId: payload.sub as string, sessionId: String(payload.sid) };
      } catch (err) {
        if (err instanceof errors.JOSEError)
          throw new UnauthenticatedError("ACCESS_TOKEN_INVALID", "the access token is invalid or expired");
        throw err;
      }
    },
  };
}
