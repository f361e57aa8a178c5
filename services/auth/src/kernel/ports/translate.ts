import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AppGrantSchema, type AppGrant as ProtoAppGrant } from "@flowshield/gen/flowshield/auth/v1/app_grant_pb";
import { AuditEventSchema, type AuditEvent as ProtoAuditEvent } from "@flowshield/gen/flowshield/auth/v1/audit_event_pb";
import { SessionSchema, type Session as ProtoSession } from "@flowshield/gen/flowshield/auth/v1/session_pb";
import { EmailCodePurpose as ProtoPurpose } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { UserSchema, UserStatus as ProtoUserStatus, type User as ProtoUser } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import type { AuditEvent } from "../../audit/domain/audit";
import type { EmailCodePurpose } from "../../email-codes/domain/email-code";
import type { AppGrant } from "../../oauth/domain/oauth-client";
import type { Session } from "../../sessions/domain/session";
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
    emailVerified: user.emailVerified,
    ...(user.emailVerifyTime !== undefined ? { emailVerifyTime: timestampFromDate(user.emailVerifyTime) } : {}),
  });
}

export function sessionToProto(session: Session & { current: boolean }): ProtoSession {
  return create(SessionSchema, {
    id: session.id,
    createTime: timestampFromDate(session.createTime),
    lastUseTime: timestampFromDate(session.lastUseTime),
    ip: session.ip,
    userAgent: session.userAgent,
    current: session.current,
  });
}

export function auditEventToProto(event: AuditEvent): ProtoAuditEvent {
  return create(AuditEventSchema, {
    id: event.id,
    time: timestampFromDate(event.time),
    type: event.type,
    userId: event.userId ?? "",
    requestId: event.requestId,
    ip: event.ip,
    userAgent: event.userAgent,
    detail: JSON.stringify(event.detail ?? {}),
  });
}

const PURPOSE_FROM_PROTO: Partial<Record<ProtoPurpose, EmailCodePurpose>> = {
  [ProtoPurpose.VERIFY_EMAIL]: "verify_email",
  [ProtoPurpose.RESET_PASSWORD]: "reset_password",
  [ProtoPurpose.END_SESSIONS]: "end_sessions",
};

export function purposeFromProto(purpose: ProtoPurpose): EmailCodePurpose | undefined {
  return PURPOSE_FROM_PROTO[purpose];
}

export function appGrantToProto(grant: AppGrant): ProtoAppGrant {
  return create(AppGrantSchema, {
    clientId: grant.clientId,
    clientName: grant.clientName,
    scopes: grant.scopes,
    createTime: timestampFromDate(grant.createTime),
  });
}
