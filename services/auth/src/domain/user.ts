// The auth service's domain: a user and the rules about users. No I/O, no kysely, no proto.

export type UserStatus = "pending" | "active" | "disabled";

export interface User {
  id: string;
  email: string;
  status: UserStatus;
  passwordHash: string;
  createTime: Date;
  updateTime: Date;
}

// Only active users may sign in.
export function canSignIn(user: User): boolean {
  return user.status === "active";
}
