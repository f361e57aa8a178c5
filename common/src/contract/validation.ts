// The contract's input rules, shared by every edge that accepts them. Pure: no I/O, no proto types.
import { ValidationError } from "./errors";

export { ValidationError };

// One mailbox: a local part of RFC 5322's atom characters (and any letter or digit, for
// internationalised addresses) in dot-separated runs, an @, and a dotted domain of letters, digits
// and hyphens. Nothing of the address-list syntax — commas, semicolons, groups, angle brackets,
// quotes, comments — so a mailer can never read one email as several recipients. Whether the
// mailbox exists is for an email-verification step to find out, not a regular expression.
const ATOM = "[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~-]+";
const LABEL = "[\\p{L}\\p{M}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]*[\\p{L}\\p{M}\\p{N}])?";
const EMAIL_SHAPE = new RegExp(`^${ATOM}(?:\\.${ATOM})*@${LABEL}(?:\\.${LABEL})+$`, "u");
const EMAIL_MAX_LENGTH = 254;
const USERNAME_SHAPE = /^[a-z0-9_]{3,32}$/;
const DISPLAY_NAME_MAX = 100;
const BIO_MAX = 500;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email === "") throw new ValidationError("email", "is required");
  if (email.length > EMAIL_MAX_LENGTH) throw new ValidationError("email", `must be at most ${EMAIL_MAX_LENGTH} characters`);
  if (!EMAIL_SHAPE.test(email)) throw new ValidationError("email", "is not an email address");
  return email;
}

// Usernames are unique without regard to case, so they are stored lower-cased: "Ada_L" and
// "ada_l" are one name.
export function normaliseUsername(raw: string, field = "username"): string {
  const username = raw.trim().toLowerCase();
  if (username === "") throw new ValidationError(field, "is required");
  if (!USERNAME_SHAPE.test(username)) {
    throw new ValidationError(field, "must be 3 to 32 characters of a-z, 0-9 and _");
  }
  return username;
}

// Counted in Unicode code points, which is what a person counts; an emoji is one character.
export function checkDisplayName(raw: string, field = "display_name"): string {
  const displayName = raw.trim();
  if ([...displayName].length > DISPLAY_NAME_MAX) {
    throw new ValidationError(field, `must be at most ${DISPLAY_NAME_MAX} characters`);
  }
  return displayName;
}

export function checkBio(raw: string, field = "bio"): string {
  if ([...raw].length > BIO_MAX) throw new ValidationError(field, `must be at most ${BIO_MAX} characters`);
  return raw;
}

export function checkUuid(raw: string, field: string): string {
  const id = raw.trim().toLowerCase();
  if (id === "") throw new ValidationError(field, "is required");
  if (!UUID_SHAPE.test(id)) throw new ValidationError(field, "must be a UUID");
  return id;
}
