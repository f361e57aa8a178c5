import type { AuditRecord, Caller } from "../../audit/domain/audit";
import type { Session, SessionPolicy } from "../domain/session";
import type { AuthMethod } from "../../mfa/domain/factor";

// What Login and the session use cases need from the world (kernel/app/dependencies.ts gathers
// every capability's interfaces into AuthDeps); adapters/ implements them.

export type Rotation = { kind: "rotated" | "grace"; session: Session } | { kind: "reused"; session: Session } | { kind: "invalid" };

export interface SessionStore {
  // A new session with its first refresh token (by hash).
  start(session: Session, refreshTokenHash: string, caller: Caller, audit: AuditRecord[]): Promise<void>;
  // Consumes a refresh token (compare-and-set on its consume time) and records its successor:
  // "rotated" for the one caller that consumed it; "grace" for a concurrent caller within the
  // reuse grace window (the successor exists); "reused" — and the session revoked, audited —
  // for a later use; "invalid" for an unknown token or a dead session.
  rotate(tokenHash: string, successorHash: string, policy: SessionPolicy, now: Date, caller: Caller): Promise<Rotation>;
  // Ends the session a refresh token belongs to; false when there was none live.
  endByRefreshToken(tokenHash: string, reason: string, caller: Caller, audit: (session: Session) => AuditRecord[]): Promise<boolean>;
  // Ends all of a user's access (kernel/adapters/db/user-access.ts: every session, the OpenID
  // provider's too), with the audit events, in one transaction.
  endAll(userId: string, reason: string, caller: Caller, audit: AuditRecord[]): Promise<void>;
  // Ends one session of a user; false when the user has no such live session.
  revoke(userId: string, sessionId: string, reason: string, caller: Caller, audit: AuditRecord[]): Promise<boolean>;
  // A step-up: the session proved a second factor now; false when it has ended.
  markFactor(sessionId: string, amr: AuthMethod[], now: Date): Promise<boolean>;
  findLive(sessionId: string, policy: SessionPolicy, now: Date): Promise<Session | undefined>;
  listLive(userId: string, policy: SessionPolicy, now: Date): Promise<Session[]>;
}

export interface AccessTokenIssuer {
  // `amr` and the assurance it reached (`acr`) go into the token, for resource servers to read.
  issue(userId: string, sessionId: string, amr: AuthMethod[]): Promise<{ accessToken: string; expiresIn: number }>;
  // The user and session of an access token, or UNAUTHENTICATED.
  verify(accessToken: string): Promise<{ userId: string; sessionId: string }>;
}
