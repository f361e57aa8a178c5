import type { AuthMethod } from "../../mfa/domain/factor";

// Sessions and their refresh tokens: the rules about when they live. No I/O.

export interface Session {
  id: string;
  userId: string;
  createTime: Date;
  lastUseTime: Date;
  // The absolute end (REFRESH_TTL after Login); the idle limit is counted from lastUseTime.
  expireTime: Date;
  ip: string;
  userAgent: string;
  revokeTime?: Date;
  // What the sign-in proved (its tokens carry it as `amr`), and when a second factor last was
  // (at sign-in, or a step-up since).
  amr: AuthMethod[];
  factorTime?: Date;
}

export interface SessionPolicy {
  // A session's whole life, from Login (REFRESH_TTL, default 30 days).
  refreshTtlMs: number;
  // How long a session may go unused (REFRESH_IDLE_TTL, default 7 days).
  idleTtlMs: number;
  // How long after a refresh token was consumed a concurrent use of it still gets the same
  // successor instead of revoking the session (REFRESH_REUSE_GRACE_MS, default 10 s).
  reuseGraceMs: number;
}

export function isSessionLive(session: Session, policy: SessionPolicy, now: Date): boolean {
  return session.revokeTime === undefined && now < session.expireTime && now.getTime() < session.lastUseTime.getTime() + policy.idleTtlMs;
}

// Whether a consumed refresh token, used again now, is a concurrent caller of the one that consumed
// it (within REFRESH_REUSE_GRACE_MS) rather than a replay by someone holding a copy. One rule for
// both kinds of refresh token: a first-party session's (the loser gets the winner's successor) and
// the OpenID provider's (the loser is refused, the grant left alone: the library's tokens are
// random, so there is no successor to hand it).
export function withinReuseGrace(consumeTime: Date, now: Date, reuseGraceMs: number): boolean {
  return now.getTime() - consumeTime.getTime() <= reuseGraceMs;
}

// Seconds until a refresh token handed out now stops working: the idle limit or the session's end.
export function refreshExpiresIn(session: Session, policy: SessionPolicy, now: Date): number {
  const end = Math.min(session.expireTime.getTime(), now.getTime() + policy.idleTtlMs);
  return Math.max(0, Math.floor((end - now.getTime()) / 1000));
}
