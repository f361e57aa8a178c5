// Single-use codes mailed to a user (email verification, password reset). No I/O: adapters/
// makes and hashes them.

export const EMAIL_CODE_PURPOSES = ["verify_email", "reset_password"] as const;
export type EmailCodePurpose = (typeof EMAIL_CODE_PURPOSES)[number];

// Crockford's base32 alphabet (no I, L, O, U), 10 symbols: 50 bits, easy to read out and type.
export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_LENGTH = 10;

// Wrong guesses a code survives; the next one kills it (the user asks for a new one).
export const MAX_CODE_ATTEMPTS = 5;

// A password reset code lives 15 minutes; a verification code until the verification deadline.
export const RESET_CODE_TTL_MS = 15 * 60 * 1000;

// What a user typed, as the code was issued: upper case, without spaces or dashes, and the
// symbols Crockford's alphabet reads alike (O as 0, I and L as 1).
export function normaliseCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

export type CodeCheck = "ok" | "wrong" | "expired" | "used" | "exhausted";
