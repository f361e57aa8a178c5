import { randomUUID } from "node:crypto";
import { NotFoundError, UnauthenticatedError } from "@flowshield/common/contract/errors";
import { checkUuid, ValidationError } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import { refreshExpiresIn, type Session } from "../domain/session";
import type { AuthDeps } from "../../kernel/app/dependencies";
import type { AuthMethod } from "../../mfa/domain/factor";

export interface TokenPair {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

type SessionDeps = Pick<AuthDeps, "sessions" | "tokens" | "secrets" | "settings">;

// What a sign-in proved: its methods, and whether one was a second factor (proved just now).
export interface SignInProof {
  amr: AuthMethod[];
  secondFactor: boolean;
}

// A new session for a user who just proved who they are (Login, or its second step), with its
// first token pair.
export async function startSession(deps: SessionDeps, userId: string, proof: SignInProof, caller: Caller): Promise<TokenPair> {
  const now = new Date();
  const session: Session = {
    id: randomUUID(),
    userId,
    createTime: now,
    lastUseTime: now,
    expireTime: new Date(now.getTime() + deps.settings.sessions.refreshTtlMs),
    ip: caller.ip,
    userAgent: caller.userAgent,
    amr: proof.amr,
    ...(proof.secondFactor ? { factorTime: now } : {}),
  };
  const refreshToken = deps.secrets.newRefreshToken();
  await deps.sessions.start(session, deps.secrets.hashToken(refreshToken), caller, [
    { type: "login_succeeded", userId, detail: { session_id: session.id, amr: proof.amr.join(" ") } },
  ]);
  return pairFor(deps, session, refreshToken, now);
}

async function pairFor(deps: SessionDeps, session: Session, refreshToken: string, now: Date): Promise<TokenPair> {
  const access = await deps.tokens.issue(session.userId, session.id, session.amr);
  return { ...access, refreshToken, refreshExpiresIn: refreshExpiresIn(session, deps.settings.sessions, now) };
}

function checkRefreshToken(token: string): string {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new ValidationError("refresh_token", "is not a refresh token");
  return token;
}

// Rotation: the old token is consumed (compare-and-set) and its successor — derived from it, so
// every concurrent caller within the grace window gets the same one — becomes the session's
// token. A later reuse of a consumed token has revoked the session (audited) by the time this
// answers UNAUTHENTICATED.
export async function refresh(deps: SessionDeps, req: { refreshToken: string }, caller: Caller): Promise<TokenPair> {
  const token = checkRefreshToken(req.refreshToken);
  const successor = deps.secrets.successorOf(token);
  const now = new Date();
  const rotation = await deps.sessions.rotate(
    deps.secrets.hashToken(token),
    deps.secrets.hashToken(successor),
    deps.settings.sessions,
    now,
    caller,
  );
  if (rotation.kind === "rotated" || rotation.kind === "grace") return pairFor(deps, rotation.session, successor, now);
  throw new UnauthenticatedError("REFRESH_TOKEN_INVALID", "the refresh token is invalid, expired or revoked");
}

// Idempotent: an unknown, used or already ended token is fine too.
export async function logout(deps: Pick<AuthDeps, "sessions" | "secrets">, req: { refreshToken: string }, caller: Caller): Promise<void> {
  const token = checkRefreshToken(req.refreshToken);
  await deps.sessions.endByRefreshToken(deps.secrets.hashToken(token), "logout", caller, (session) => [
    { type: "logged_out", userId: session.userId, detail: { session_id: session.id } },
  ]);
}

// The caller of a bearer-token RPC, with a live session: an access token outlives a revoked
// session by its few minutes, but these RPCs do not.
export async function signedIn(
  deps: Pick<AuthDeps, "tokens" | "sessions" | "settings">,
  accessToken: string,
): Promise<{ userId: string; sessionId: string; session: Session }> {
  const who = await deps.tokens.verify(accessToken);
  const session = await deps.sessions.findLive(who.sessionId, deps.settings.sessions, new Date());
  if (session === undefined || session.userId !== who.userId)
    throw new UnauthenticatedError("SESSION_ENDED", "the session has ended; sign in again");
  return { ...who, session };
}

// Ends all of the caller's access: every session (this one too), and everything the OpenID
// provider holds for the user.
export async function signOutEverywhere(
  deps: Pick<AuthDeps, "tokens" | "sessions" | "settings">,
  accessToken: string,
  caller: Caller,
): Promise<void> {
  const who = await signedIn(deps, accessToken);
  await deps.sessions.endAll(who.userId, "signed_out_everywhere", caller, [{ type: "signed_out_everywhere", userId: who.userId }]);
}

export async function listSessions(
  deps: Pick<AuthDeps, "tokens" | "sessions" | "settings">,
  accessToken: string,
): Promise<Array<Session & { current: boolean }>> {
  const who = await signedIn(deps, accessToken);
  const sessions = await deps.sessions.listLive(who.userId, deps.settings.sessions, new Date());
  return sessions.map((s) => ({ ...s, current: s.id === who.sessionId }));
}

export async function revokeSession(
  deps: Pick<AuthDeps, "tokens" | "sessions" | "settings">,
  accessToken: string,
  req: { sessionId: string },
  caller: Caller,
): Promise<void> {
  const who = await signedIn(deps, accessToken);
  const sessionId = checkUuid(req.sessionId, "session_id");
  const revoked = await deps.sessions.revoke(who.userId, sessionId, "revoked_by_user", caller, [
    { type: "session_revoked", userId: who.userId, detail: { session_id: sessionId } },
  ]);
  if (!revoked) throw new NotFoundError("session");
}
