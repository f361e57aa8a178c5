import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { UserSchema, UserStatus as ProtoUserStatus, type User as ProtoUser } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import type { NewUserRow, UserRow } from "./db/schema";
import type { RegisteredUser } from "@flowshield/workflows/registration-contract";
import type { User, UserStatus } from "./domain/user";

// Pure translators between database rows, the domain and proto messages.

export function userFromRow(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    status: row.status,
    passwordHash: row.password_hash,
    createTime: row.create_time,
    updateTime: row.update_time,
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
  };
}

const STATUS_TO_PROTO: Record<UserStatus, ProtoUserStatus> = {
  pending: ProtoUserStatus.PENDING,
  active: ProtoUserStatus.ACTIVE,
  disabled: ProtoUserStatus.DISABLED,
};

export function statusToProto(status: UserStatus): ProtoUserStatus {
  return STATUS_TO_PROTO[status];
}

export function statusFromProto(status: ProtoUserStatus): UserStatus | undefined {
  return (Object.keys(STATUS_TO_PROTO) as UserStatus[]).find((s) => STATUS_TO_PROTO[s] === status);
}

// The password hash stays behind: it never leaves the auth service in a User message.
export function userToProto(user: User): ProtoUser {
  return create(UserSchema, {
    id: user.id,
    email: user.email,
    status: statusToProto(user.status),
    createTime: timestampFromDate(user.createTime),
    updateTime: timestampFromDate(user.updateTime),
  });
}

// The saga's result carries the user as JSON, timestamps as ISO strings.
export function registeredUserToProto(user: RegisteredUser): ProtoUser {
  return create(UserSchema, {
    id: user.id,
    email: user.email,
    status: statusToProto(user.status),
    createTime: timestampFromDate(new Date(user.createTime)),
    updateTime: timestampFromDate(new Date(user.updateTime)),
  });
}
