import type { EmailCodePurpose } from "../../email-codes/domain/email-code";

// The rate limits and lockouts every public use case takes from (kernel/app/dependencies.ts
// gathers every capability's interfaces into AuthDeps); adapters/ implements them.

// One sign-in attempt, taken from the limits before its password is checked; exactly one of its
// methods is called once the outcome is known.
export interface LoginAttempt {
  // The password was wrong (or the account may not sign in): the attempt stays counted; true
  // when it was the one that locked the email+address out.
  failed(): Promise<{ lockedOut: boolean }>;
  // Clears the email+address's failures, gives the attempt back, and remembers the address.
  succeeded(): Promise<void>;
  // The password was never checked (the bcrypt queue was full, a dependency failed): the attempt
  // is given back. Never rejects.
  abandoned(): Promise<void>;
}

// Refusals come back as a RateLimitedError (RESOURCE_EXHAUSTED with a retry-after).
export interface RateLimits {
  // Whether the account signed in from this address (its limit key) within the last 30 days.
  isKnownAddress(email: string, ip: string): Promise<boolean>;
  // Before any password check: takes one attempt from the email+address, the address and — unless
  // the address is known — the account, or refuses (nothing taken) while one of them is used up
  // or locked.
  reserveLogin(email: string, ip: string, knownAddress: boolean): Promise<LoginAttempt>;
  // One attempt of a rate-limited action (registrations per address; resends and resets per email
  // and address, so a stranger spends their own quota, not the owner's).
  // Passwordless sign-ins started, per address (each makes a challenge row).
  consume(action: "register" | "resendVerification" | "passwordReset" | "passkeyLogin", key: string): Promise<void>;
  // One code guess, before it is checked: 5 an hour per email and address, and 50 an hour per
  // email from addresses the account does not know; refuses when either is spent.
  reserveCodeGuess(purpose: EmailCodePurpose, email: string, ip: string, knownAddress: boolean): Promise<void>;
  // Whether one more code may be mailed to this email now: at most 3 an hour asked for from
  // addresses the account does not know (a stranger cannot flood the owner's inbox, nor push the
  // owner's code out of the kept ones). Refuses silently: the caller is answered OK anyway.
  mayMailCode(purpose: EmailCodePurpose, email: string, knownAddress: boolean): Promise<boolean>;
  // One second-factor answer of an account, before it is checked: 10 wrong ones in 15 minutes lock
  // the account's second step for 15 minutes (only someone who had the password gets this far).
  // A right answer gives its point back.
  reserveFactorGuess(userId: string): Promise<{ succeeded(): Promise<void> }>;
  // Remembers an address the account was registered or signed in from (30 days).
  rememberAddress(email: string, ip: string): Promise<void>;
}
