import { ValidationError } from "@flowshield/common/contract/validation";

// A bcrypt hash in modular crypt format: $2a$/$2b$/$2y$, a two-digit cost, 53 characters of salt
// and digest. CreateUser refuses anything else, so a plain password sent by mistake is never stored.
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

export function checkBcryptHash(hash: string): string {
  if (hash === "") throw new ValidationError("password_hash", "is required");
  if (!BCRYPT_HASH.test(hash)) throw new ValidationError("password_hash", "must be a bcrypt hash");
  return hash;
}
