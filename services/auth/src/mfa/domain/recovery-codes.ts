import { CODE_ALPHABET, normaliseCode } from "../../email-codes/domain/email-code";

// Recovery codes: ten at a time, each single use, for a user who lost their other factors. 16
// symbols of Crockford's base32 — 80 bits, so a plain SHA-256 of each is all that is stored (no key
// to lose when keys rotate, and no dump can be searched through) — shown as four groups of four.
// No I/O.
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_CODE_LENGTH = 16;

export function newRecoveryCode(randomIndex: (bound: number) => number): string {
  const symbols = Array.from({ length: RECOVERY_CODE_LENGTH }, () => CODE_ALPHABET[randomIndex(CODE_ALPHABET.length)]).join("");
  return symbols.match(/.{4}/g)!.join("-");
}

// What a user typed, as the code is hashed (the email codes' reading: case, dashes, look-alikes);
// undefined when it cannot be a recovery code.
export function normaliseRecoveryCode(typed: string): string | undefined {
  const code = normaliseCode(typed);
  return code.length === RECOVERY_CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : undefined;
}
