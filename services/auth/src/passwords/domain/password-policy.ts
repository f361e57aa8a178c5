import { dictionary } from "@zxcvbn-ts/language-common";
import { ValidationError } from "@flowshield/common/contract/validation";

const MIN_BYTES = 8;
// bcrypt reads only the first 72 bytes of a password. Longer ones are refused, never truncated:
// truncating would let two different passwords match.
export const MAX_PASSWORD_BYTES = 72;

// zxcvbn-ts's list of the ~50,000 most common passwords.
const COMMON_PASSWORDS = new Set(dictionary["passwords-common"]);

export function checkPasswordLength(password: string, field = "password"): void {
  const bytes = Buffer.byteLength(password, "utf8");
  if (bytes === 0) throw new ValidationError(field, "is required");
  if (bytes > MAX_PASSWORD_BYTES) throw new ValidationError(field, `must be at most ${MAX_PASSWORD_BYTES} bytes`);
}

// The rule for a new password (registration, reset, change): 8 to 72 UTF-8 bytes and not a
// common password. Returns it, for use in an expression.
export function checkNewPassword(password: string, field = "password"): string {
  checkPasswordLength(password, field);
  if (Buffer.byteLength(password, "utf8") < MIN_BYTES) {
    throw new ValidationError(field, `must be at least ${MIN_BYTES} bytes`);
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    throw new ValidationError(field, "is too common; choose another");
  }
  return password;
}
