import type { AuthMethod, SecondStepKind } from "./factor";

// A sign-in's second step: made when the password matched (or for a step-up of a live session),
// answered once by CompleteLogin. No I/O.
export interface MfaChallenge {
  userId: string;
  // Set for a step-up: the session whose factor is proved again.
  sessionId?: string;
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
