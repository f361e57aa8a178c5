import type { AuthMethod, SecondStepKind } from "./factor";

// What a challenge is for: a sign-in's second step (or a passwordless sign-in), a live session's
// step-up, or registering a passkey.
export type ChallengePurpose = "sign_in" | "step_up" | "passkey_registration";

// A ceremony answered once: a sign-in's second step, made when the password matched (or a
// passwordless one, or a step-up of a live session), answered by CompleteLogin; or a passkey's
// registration. No I/O.
export interface MfaChallenge {
  purpose: ChallengePurpose;
  // Unset for a passwordless sign-in until an assertion names its credential.
  userId?: string;
  // Set for a step-up and a passkey registration: the session that asked.
  sessionId?: string;
  // The WebAuthn challenge (base64url) its passkey options carry, when a passkey may answer it.
  webauthnChallenge?: string;
  // What the sign-in proved so far (["pwd"] after a password).
  amr: AuthMethod[];
  kinds: SecondStepKind[];
  expireTime: Date;
}

// Long enough to open an app or find a key, short enough that a challenge lying about is useless.
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
// Wrong factors one challenge takes before it ends (the account's own limit counts across them).
export const CHALLENGE_MAX_FAILURES = 5;

// 32 random bytes, base64url: what CompleteLogin is given back.
export function isChallengeId(text: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(text);
}
