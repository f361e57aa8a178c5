import type { User } from "../../domain/user";
import type { NewUserRow, UserRow } from "./schema";

// Pure translators between the users table's rows and the domain.

export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    status: row.status,
    passwordHash: row.password_hash,
    createTime: row.create_time,
    updateTime: row.update_time,
    emailVerified: row.email_verified,
    ...(row.email_verify_time !== null ? { emailVerifyTime: row.email_verify_time } : {}),
    ...(row.verify_first ? { verifyFirst: true } : {}),
  };
}

export function userToRow(user: User): NewUserRow {
  return {
    id: user.id,
    email: user.email,
    status: user.status,
    password_hash: user.passwordHash,
    create_time: user.createTime,
    update_time: user.updateTime,
    email_verified: user.emailVerified,
    email_verify_time: user.emailVerifyTime ?? null,
    verify_first: user.verifyFirst ?? false,
  };
}
