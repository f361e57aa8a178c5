// The audit trail's vocabulary. No I/O: adapters/db/audit-log.ts writes events, the ports read them.

export const AUDIT_EVENT_TYPES = [
  "registered",
  "email_verified",
  "account_expired",
  "login_succeeded",
  "login_failed",
  "locked_out",
  "refresh_reused",
  "session_revoked",
  "logged_out",
  "password_reset_requested",
  "password_reset",
  "password_changed",
  // All of a user's access ended at the user's request; an operator disabled or enabled a user.
  "signed_out_everywhere",
  // A limit refused a caller, the first time in its window (detail.limit); the later refusals of
  // that window are only counted (metrics).
  "rate_limited",
  "user_disabled",
  "user_enabled",
  // The OpenID provider: a user allowed a client (consent), a token endpoint answer, a rotated
  // refresh token replayed (its grant revoked), a token revoked by its client.
  "oidc_consent_granted",
  "oidc_token_issued",
  "oidc_refresh_reused",
  "oidc_token_revoked",
  // An operator registered or deleted an OAuth client (detail.client_id).
  "oauth_client_created",
  "oauth_client_deleted",
  // A user withdrew an application's access (its grant, tokens and codes ended).
  "app_grant_revoked",
  // Second factors: one enrolled or removed (detail.factor_id), a recovery code used to sign in,
  // new recovery codes made, a wrong second factor (detail.factor: totp, recovery_code, passkey),
  // a session that proved its factor again (step-up), an operator's reset of a user's factors.
  "mfa_enrolled",
  "mfa_removed",
  "recovery_code_used",
  "recovery_codes_regenerated",
  "mfa_failed",
  "stepped_up",
  "passkey_registered",
  "mfa_reset",
  // The risk engine's decision on a sign-in or a registration (detail: subject, score, decision,
  // reasons, policy_version).
  "risk_assessed",
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

// Who made the call an event records: its request id, and the client's address and user agent
// (empty for calls made by the workflows, whose request id leads to the call that started them).
export interface Caller {
  requestId: string;
  ip: string;
  userAgent: string;
  // The client's own device id when it sent one (the X-Device-Id header; the pages' device
  // cookie): the risk engine's NEW_DEVICE. A claim, never recorded in the audit trail.
  deviceId?: string;
}

// What a use case asks to be recorded, beside the change it makes. `detail` holds no secret.
export interface AuditRecord {
  type: AuditEventType;
  userId?: string;
  detail?: Record<string, string | number | boolean | string[]>;
}

export interface AuditEvent extends AuditRecord, Caller {
  id: string;
  time: Date;
}

export function isAuditEventType(type: string): type is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(type);
}
