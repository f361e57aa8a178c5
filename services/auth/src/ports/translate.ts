import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { UserSchema, UserStatus as ProtoUserStatus, type User as ProtoUser } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import type { User, UserStatus } from "../domain/user";

// Pure translators between the domain and proto messages.

// The one mapping between the domain's statuses and the proto enum.
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
