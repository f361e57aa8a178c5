import { ERROR_CATALOGUE } from "@flowshield/common/contract/error-catalogue";
import { DomainError, RateLimitedError } from "@flowshield/common/contract/errors";

// The person-facing text of a use case's refusal on a hosted page (the provider's login and
// account pages, the account console), with the HTTP status the error catalogue gives its kind;
// anything else is a fault, rethrown (the page answers 500 and logs it).
export function pageRefusal(err: unknown): { status: number; message: string } {
  if (err instanceof RateLimitedError) return { status: 429, message: `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.` };
  if (err instanceof DomainError) return { status: ERROR_CATALOGUE[err.kind].httpStatus, message: err.message };
  throw err;
}

// A sign-in form's refusal: one text for a wrong email and a wrong password (and an account that
// may not sign in), as the Login RPC gives one answer for them.
export function signInRefusal(err: unknown): { status: number; message: string } {
  const refusal = pageRefusal(err);
  return refusal.status === 401 ? { ...refusal, message: "Wrong email or password." } : refusal;
}
