// The auth service's domain: a user and the rules about users. No I/O, no kysely, no proto.

// Every status a user can have, in one place; the database's check constraint and the proto enum
// are mapped from this list (kernel/adapters/db, kernel/ports/translate.ts).
export const USER_STATUSES = ["pending", "active", "disabled"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface User {
  id: string;
  email: string;
  status: UserStatus;
  passwordHash: string;
  createTime: Date;
  updateTime: Date;
  emailVerified: boolean;
  emailVerifyTime?: Date;
  // The registration's risk decision was verify_first (risk/domain/policy.ts).
  verifyFirst?: boolean;
}

// Only active users may sign in: not while the registration saga runs (pending), nor once an
// operator or an expired verification disabled the account.
export function canSignIn(user: User): boolean {
  return user.status === "active";
}

// Whether a sign-in with the right password must still wait for the email to be verified: always
// under REQUIRE_VERIFIED_EMAIL, and for an account whose registration looked risky.
export function mustVerifyEmailFirst(user: User, requireVerifiedEmail: boolean): boolean {
  return !user.emailVerified && (requireVerifiedEmail || user.verifyFirst === true);
}
