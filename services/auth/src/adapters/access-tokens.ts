import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { AccessTokenIssuer } from "../app/dependencies";
import { SIGNING_ALG, type SigningKey } from "./signing-keys";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface TokenSettings {
  issuer: string;
  audience: string;
}

// Access tokens: EdDSA JWTs with kid, iss, sub, aud, iat, exp (15 minutes) and jti.
export function createAccessTokenIssuer(key: SigningKey, settings: TokenSettings): AccessTokenIssuer {
  return {
    async issue(userId) {
      const accessToken = await new SignJWT({})
        .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: "at+jwt" })
        .setIssuer(settings.issuer)
        .setSubject(userId)
        .setAudience(settings.audience)
        .setIssuedAt()
        .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
        .setJti(randomUUID())
        .sign(key.privateKey);
      return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS };
    },
  };
}
