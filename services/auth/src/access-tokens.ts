import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { SIGNING_ALG, type SigningKey } from "./signing-keys";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export interface TokenSettings {
  issuer: string;
  audience: string;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

export async function issueAccessToken(key: SigningKey, settings: TokenSettings, userId: string): Promise<IssuedToken> {
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
}
