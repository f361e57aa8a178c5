import { AlreadyExistsError, DomainError, NotFoundError } from "@flowshield/common/contract/errors";
import { newSignInMail, passwordResetMail, verificationMail } from "@flowshield/common/mail/mail-messages";
import { checkUuid, normaliseEmail, ValidationError } from "@flowshield/common/contract/validation";
import { pageOf, pageQuery } from "../../kernel/app/keyset-page";
import { isAuditEventType, type AuditEvent, type Caller } from "../../audit/domain/audit";
import { checkBcryptHash } from "../../passwords/domain/bcrypt-hash";
import { END_SESSIONS_CODE_TTL_MS, RESET_CODE_TTL_MS, type EmailCodePurpose } from "../../email-codes/domain/email-code";
import { notMeLink } from "../../sessions/domain/not-me";
import type { User } from "../../kernel/domain/user";
import type { AuthDeps, UserRepository } from "../../kernel/app/dependencies";

// User administration for the workflows' activities (the internal listener). Every step is
// idempotent, because Temporal retries activities.

// Makes a PENDING user. The hash is the one Register stored under this id (the saga sends none),
// or — for an operator's direct call — the one given. A retry is answered as the first call was
// only while the user is still the pending one it made: an account that exists already (active,
// disabled) is never handed to a second saga, whose compensation would then delete it.
export async function createUser(
  deps: Pick<AuthDeps, "users" | "credentials">,
  req: { id: string; email: string; passwordHash: string; verifyFirst?: boolean },
): Promise<User> {
  const id = checkUuid(req.id, "id");
  const email = normaliseEmail(req.email);
  const given = req.passwordHash === "" ? undefined : checkBcryptHash(req.passwordHash);
  // A retry of a call that succeeded: answer as then (the stored hash is gone by now).
  const existing = await deps.users.findById(id);
  if (existing !== undefined) {
    if (isSamePendingUser(existing, email)) return existing;
    throw new AlreadyExistsError("id", "ID_TAKEN", "id is already taken by another user");
  }
  const passwordHash = given ?? (await deps.credentials.find(id));
  if (passwordHash === undefined) {
    throw new DomainError(
      "failedPrecondition",
      "REGISTRATION_CREDENTIAL_MISSING",
      "no password was stored for this registration; register again",
    );
  }
  const now = new Date();
  const inserted = await deps.users.insertIfAbsent({
    id,
    email,
    passwordHash,
    status: "pending",
    createTime: now,
    updateTime: now,
    emailVerified: false,
    ...(req.verifyFirst === true ? { verifyFirst: true } : {}),
  });
  if (inserted !== undefined) {
    await deps.credentials.discard(id);
    return inserted;
  }
  // Nothing inserted: the id raced with this very call's retry, or the email is someone else's.
  const raced = await deps.users.findById(id);
  if (raced !== undefined && isSamePendingUser(raced, email)) return raced;
  throw new AlreadyExistsError("email", "EMAIL_TAKEN", "email is already registered");
}

function isSamePendingUser(user: User, email: string): boolean {
  return user.email === email && user.status === "pending";
}

// The saga's last step: the user becomes ACTIVE and, until its email is verified, its
// verification workflow runs (started once: a retried step finds it started).
export async function activateUser(
  deps: Pick<AuthDeps, "users" | "lifecycle" | "settings">,
  req: { id: string },
  caller: Caller,
): Promise<User> {
  const id = checkUuid(req.id, "id");
  const user = await deps.users.activate(id, caller, [{ type: "registered", userId: id }]);
  if (user === undefined) throw new NotFoundError("user");
  if (!user.emailVerified) await deps.lifecycle.startEmailVerification(id, deps.settings.emailVerifyTtlMs);
  return user;
}

// An operator disables a user (all of its access ends with it) or enables it again; audited only
// when it changed something. A user whose registration is under way is neither: refused.
export async function setUserDisabled(
  deps: Pick<AuthDeps, "users">,
  req: { id: string },
  disabled: boolean,
  caller: Caller,
): Promise<User> {
  const id = checkUuid(req.id, "id");
  const type = disabled ? "user_disabled" : "user_enabled";
  const user = await deps.users.setDisabled(id, disabled, caller, [{ type, userId: id }]);
  if (user === undefined) throw new NotFoundError("user");
  if (user.status === "pending")
    throw new DomainError("failedPrecondition", "REGISTRATION_IN_PROGRESS", "the user's registration is under way");
  return user;
}

export async function getUser(users: UserRepository, req: { id: string }): Promise<User> {
  const user = await users.findById(checkUuid(req.id, "id"));
  if (user === undefined) throw new NotFoundError("user");
  return user;
}

// Compensation for createUser, and the removal of an expired account: succeeds when the user is
// already gone.
export async function deleteUser(users: UserRepository, req: { id: string }): Promise<void> {
  await users.deleteById(checkUuid(req.id, "id"));
}

// A fresh code (the last few stay live too), mailed to the user from here: the workflow's activity
// that asks for it never sees it. A verification code for an email verified already is refused
// (FAILED_PRECONDITION: the workflow ends). A mail that fails leaves its code stored and live —
// the retry mails another; both work.
export async function sendEmailCode(
  deps: Pick<AuthDeps, "users" | "codes" | "secrets" | "settings" | "mailer">,
  req: { userId: string; purpose: EmailCodePurpose | undefined; reminder: boolean; signIn?: { time: Date; place: string; device: string } },
): Promise<{ expireTime: Date }> {
  const userId = checkUuid(req.userId, "user_id");
  if (req.purpose === undefined) throw new ValidationError("purpose", "is required");
  const user = await deps.users.findById(userId);
  if (user === undefined) throw new NotFoundError("user");
  if (req.purpose === "verify_email" && user.emailVerified) {
    throw new DomainError("failedPrecondition", "EMAIL_ALREADY_VERIFIED", "the email is verified already");
  }
  const { signIn } = req;
  if (req.purpose === "end_sessions" && signIn === undefined) throw new ValidationError("sign_in", "is required for this purpose");
  const code = deps.secrets.newCode();
  const ttl = { verify_email: deps.settings.emailVerifyTtlMs, reset_password: RESET_CODE_TTL_MS, end_sessions: END_SESSIONS_CODE_TTL_MS }[
    req.purpose
  ];
  const expireTime = new Date(Date.now() + ttl);
  await deps.codes.issue(userId, req.purpose, deps.secrets.hashCode(req.purpose, userId, code), expireTime);
  await deps.mailer.send(
    req.purpose === "verify_email"
      ? verificationMail(user.email, code, expireTime, req.reminder)
      : req.purpose === "reset_password"
        ? passwordResetMail(user.email, code, expireTime)
        : newSignInMail(user.email, signIn!, notMeLink(deps.settings.publicUrl, user.email, code), expireTime),
  );
  return { expireTime };
}

export async function expireUnverifiedUser(users: UserRepository, req: { userId: string }, caller: Caller): Promise<{ expired: boolean }> {
  const userId = checkUuid(req.userId, "user_id");
  const outcome = await users.expireUnverified(userId, caller, [{ type: "account_expired", userId }]);
  return { expired: outcome === "expired" };
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 500;

// Keyset pages, newest first; the page token is the last event's (time, id), opaque to callers.
export async function listAuditEvents(
  deps: Pick<AuthDeps, "audit">,
  req: { userId: string; type: string; pageSize: number; pageToken: string },
): Promise<{ events: AuditEvent[]; nextPageToken: string }> {
  const userId = req.userId === "" ? undefined : checkUuid(req.userId, "user_id");
  if (req.type !== "" && !isAuditEventType(req.type)) throw new ValidationError("type", "is not an audit event type");
  const { limit, after } = pageQuery(req, { default: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE });
  const events = await deps.audit.list({
    ...(userId !== undefined ? { userId } : {}),
    ...(req.type !== "" && isAuditEventType(req.type) ? { type: req.type } : {}),
    ...(after !== undefined ? { after } : {}),
    limit,
  });
  const page = pageOf(events, limit, (e) => ({ time: e.time, id: e.id }));
  return { events: page.items, nextPageToken: page.nextPageToken };
}
