// Single-use codes mailed to a user (email verification, password reset, the "this was not me"
// link of a new sign-in's notice). No I/O: adapters/ makes and hashes them.

export const EMAIL_CODE_PURPOSES = ["verify_email", "reset_password", "end_sessions"] as const;
export type EmailCodePurpose = (typeof EMAIL_CODE_PURPOSES)[number];

// Crockford's base32 alphabet (no I, L, O, U), 10 symbols: 50 bits, easy to read out and type.
export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_LENGTH = 10;

// Live codes of one purpose a user may hold at once: a fresh code leaves the last ones working, so
// codes asked for by someone else do not void the one the owner is typing. The oldest go first.
export const KEPT_CODES = 5;

// Wrong guesses are limited per guesser, not per code (limits/adapters/rate-limits.ts: 5 an hour per email
// and address, 50 an hour per email from addresses the account does not know): a stranger's
// guesses never kill the owner's code. At most ~60 guesses an hour reach one email, so a
// verification code (24 h) meets at most ~1,440 guesses: 1,440 / 32^10 ≈ 1.3e-12.

// A password reset code lives as long as the reset workflow waits for it (the contract both
// processes share); a verification code until the verification deadline.
export { RESET_CODE_TTL_MS } from "@flowshield/contracts/password-reset";

// A new sign-in's "this was not me" link works for a week: a notice is often read days later.
export const END_SESSIONS_CODE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

// What a user typed, as the code was issued: upper case, without spaces or dashes, and the
// symbols Crockford's alphabet reads alike (O as 0, I and L as 1).
export function normaliseCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

// A wrong, used or expired code (or an unknown email) is one answer: "wrong".
export type CodeCheck = "ok" | "wrong";
