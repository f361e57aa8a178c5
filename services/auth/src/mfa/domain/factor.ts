// Second factors and what a sign-in proved: the rules, no I/O.

export type FactorType = "totp" | "passkey";
// What CompleteLogin may be answered with: a factor, or one of the recovery codes.
export type SecondStepKind = FactorType | "recovery_code";

export interface Factor {
  id: string;
  userId: string;
  type: FactorType;
  name: string;
  createTime: Date;
  lastUseTime?: Date;
}

// A factor as its owner sees it: none of what a kind keeps to check it (a sealed secret, a
// credential's key).
export function publicFactor({ id, userId, type, name, createTime, lastUseTime }: Factor): Factor {
  return { id, userId, type, name, createTime, ...(lastUseTime !== undefined ? { lastUseTime } : {}) };
}

export interface TotpFactor extends Factor {
  type: "totp";
  // Sealed (mfa/app/dependencies.ts, FactorSecretBox): the base32 secret never rests in clear.
  sealedSecret: string;
  // The last time step a code was accepted for: codes of that step or older are refused.
  lastStep?: number;
}

export function isTotpFactor(factor: Factor): factor is TotpFactor {
  return factor.type === "totp" && "sealedSecret" in factor;
}

// Authentication methods (RFC 8176), as access and ID tokens carry them (`amr`): a password, a
// one-time password (TOTP or a recovery code), a key held in hardware or synced by software (a
// passkey), and `mfa` once two of different kinds were proved.
export type AuthMethod = "pwd" | "otp" | "hwk" | "swk" | "mfa";

// The assurance level a sign-in reached (`acr`), named as NIST SP 800-63B's: one factor, or two.
export type AssuranceLevel = "aal1" | "aal2";

export function assuranceOf(amr: readonly AuthMethod[]): AssuranceLevel {
  return amr.includes("mfa") ? "aal2" : "aal1";
}

// The methods of a sign-in after more were proved: the union, with `mfa` when two kinds of method
// are in it or either side was multi-factor already (a passkey with user verification is) — so a
// step-up never lowers what a session proved.
export function withMethods(amr: readonly AuthMethod[], proved: readonly AuthMethod[]): AuthMethod[] {
  const methods = [...new Set([...amr, ...proved].filter((m) => m !== "mfa"))];
  return methods.length >= 2 || amr.includes("mfa") || proved.includes("mfa") ? [...methods, "mfa"] : methods;
}

export function withMethod(amr: readonly AuthMethod[], method: AuthMethod): AuthMethod[] {
  return withMethods(amr, [method]);
}

// How long a proved factor counts as fresh for what needs one (removing a factor, new recovery
// codes, a new password, signing out everywhere): OWASP ASVS 5 (7.5) asks sensitive changes for a
// recent re-authentication; Kratos' privileged session defaults to 15 minutes.
export const STEP_UP_MAX_AGE_MS = 10 * 60 * 1000;

export function isFactorFresh(factorTime: Date | undefined, now: Date): boolean {
  return factorTime !== undefined && now.getTime() - factorTime.getTime() <= STEP_UP_MAX_AGE_MS;
}

export const FACTOR_NAME_MAX = 64;
export const DEFAULT_TOTP_NAME = "Authenticator app";
