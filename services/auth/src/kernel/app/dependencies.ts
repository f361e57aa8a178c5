import type { Mailer } from "@flowshield/common/mail/mailer";
import type { RegistrationInput } from "@flowshield/contracts/registration";
import type { AuditEvent, AuditEventType, AuditRecord, Caller } from "../../audit/domain/audit";
import type { CodeCheck, EmailCodePurpose } from "../../email-codes/domain/email-code";
import type { Session, SessionPolicy } from "../../sessions/domain/session";
import type { AppGrant, NewOAuthClient, OAuthClient } from "../../oauth/domain/oauth-client";
import type { User } from "../domain/user";

// What the auth service's use cases need from the world, as small interfaces; adapters/ implements
// them (kysely, bcrypt, jose, rate-limiter-flexible, Temporal) and server.ts wires them together.
// A method that changes something and takes a Caller and AuditRecords writes those audit events
// in the same transaction as its change.

export interface UserRepository {
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  // Inserts unless a user with that id or email exists; returns the new user, or undefined.
  insertIfAbsent(user: User): Promise<User | undefined>;
  // Whether a user was deleted; deleting a missing user is not an error.
  deleteById(id: string): Promise<boolean>;
  // pending -> active; the user as it is afterwards (undefined when there is none).
  activate(id: string, caller: Caller, audit: AuditRecord[]): Promise<User | undefined>;
  // Disables the user unless its email is verified: "expired" when disabled now (or earlier, or
  // the user is gone), "verified" when the email was verified in time.
  expireUnverified(id: string, caller: Caller, audit: AuditRecord[]): Promise<"expired" | "verified">;
  // An operator's: active -> disabled, ending all of the user's access in the same transaction;
  // disabled -> active. The user as it is afterwards (undefined when there is none); a pending
  // user is left as it is.
  setDisabled(id: string, disabled: boolean, caller: Caller, audit: AuditRecord[]): Promise<User | undefined>;
  // Sets a new password hash and revokes the user's sessions, except `keepSessionId`.
  changePassword(id: string, passwordHash: string, keepSessionId: string | undefined, caller: Caller, audit: AuditRecord[]): Promise<void>;
}

// The hash Register keeps for the saga's CreateUser, so that no hash travels through Temporal.
export interface RegistrationCredentials {
  store(userId: string, passwordHash: string): Promise<void>;
  find(userId: string): Promise<string | undefined>;
  discard(userId: string): Promise<void>;
}

export interface EmailCodes {
  // Adds a code for that purpose; the user's last few stay live too (KEPT_CODES).
  issue(userId: string, purpose: EmailCodePurpose, codeHash: string, expireTime: Date): Promise<void>;
  // Whether the code is one of the user's live ones for that purpose (one read, whoever the user).
  check(userId: string, purpose: EmailCodePurpose, codeHash: string, now: Date): Promise<CodeCheck>;
  // Marks the code used — only if it still is unused, matches and is unexpired — and in the same
  // transaction runs `then` (the change the code allows) and ends the user's other codes for that
  // purpose. False when the code was no longer good.
  consume(
    userId: string,
    purpose: EmailCodePurpose,
    codeHash: string,
    now: Date,
    then: { verifyEmail: true } | { passwordHash: string },
    caller: Caller,
    audit: AuditRecord[],
  ): Promise<boolean>;
}

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
  findLive(sessionId: string, policy: SessionPolicy, now: Date): Promise<Session | undefined>;
  listLive(userId: string, policy: SessionPolicy, now: Date): Promise<Session[]>;
}

export interface AuditLog {
  record(caller: Caller, audit: AuditRecord[]): Promise<void>;
  list(filter: { userId?: string; type?: AuditEventType; after?: { time: Date; id: string }; limit: number }): Promise<AuditEvent[]>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  // Compares against the hash, or against a dummy hash of the same cost when there is no user,
  // so that a login takes as long for an unknown email as for a known one.
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

// Admission to bcrypt work (passwords/adapters/bcrypt-queue.ts): a bounded queue, and before it a lane per
// account whose work runs one piece at a time. Runs `work` in `lane`, or refuses at once
// (RateLimitedError) when the lane or the queue is full.
export interface BcryptQueue {
  run<T>(lane: string, work: () => Promise<T>): Promise<T>;
  // Before any of that, and before any query: at most a few attempts of one caller (an address) on
  // one account in flight at once; the rest refused at once, so a flood from one address costs the
  // database nothing.
  admit<T>(caller: string, work: () => Promise<T>): Promise<T>;
}

export interface AccessTokenIssuer {
  issue(userId: string, sessionId: string): Promise<{ accessToken: string; expiresIn: number }>;
  // The user and session of an access token, or UNAUTHENTICATED.
  verify(accessToken: string): Promise<{ userId: string; sessionId: string }>;
}

// Random secrets and their stored forms (kernel/adapters/secrets.ts).
export interface Secrets {
  newRefreshToken(): string;
  // The refresh token that follows `token`: derived (keyed), so a concurrent caller within the
  // grace window gets the very successor the winner got, while only its hash is stored.
  successorOf(token: string): string;
  hashToken(token: string): string;
  newCode(): string;
  // Keyed (HMAC): a dump of the codes table cannot be brute-forced offline.
  hashCode(purpose: EmailCodePurpose, userId: string, code: string): string;
}

// One sign-in attempt, taken from the limits before its password is checked; exactly one of its
// methods is called once the outcome is known.
export interface LoginAttempt {
  // The password was wrong (or the account may not sign in): the attempt stays counted; true
  // when it was the one that locked the email+address out.
  failed(): Promise<{ lockedOut: boolean }>;
  // Clears the email+address's failures, gives the attempt back, and remembers the address.
  succeeded(): Promise<void>;
  // The password was never checked (the bcrypt queue was full, a dependency failed): the attempt
  // is given back. Never rejects.
  abandoned(): Promise<void>;
}

// Refusals come back as a RateLimitedError (RESOURCE_EXHAUSTED with a retry-after).
export interface RateLimits {
  // Whether the account signed in from this address (its limit key) within the last 30 days.
  isKnownAddress(email: string, ip: string): Promise<boolean>;
  // Before any password check: takes one attempt from the email+address, the address and — unless
  // the address is known — the account, or refuses (nothing taken) while one of them is used up
  // or locked.
  reserveLogin(email: string, ip: string, knownAddress: boolean): Promise<LoginAttempt>;
  // One attempt of a rate-limited action (registrations per address; resends and resets per email
  // and address, so a stranger spends their own quota, not the owner's).
  consume(action: "register" | "resendVerification" | "passwordReset", key: string): Promise<void>;
  // One code guess, before it is checked: 5 an hour per email and address, and 50 an hour per
  // email from addresses the account does not know; refuses when either is spent.
  reserveCodeGuess(purpose: EmailCodePurpose, email: string, ip: string, knownAddress: boolean): Promise<void>;
  // Whether one more code may be mailed to this email now: at most 3 an hour asked for from
  // addresses the account does not know (a stranger cannot flood the owner's inbox, nor push the
  // owner's code out of the kept ones). Refuses silently: the caller is answered OK anyway.
  mayMailCode(purpose: EmailCodePurpose, email: string, knownAddress: boolean): Promise<boolean>;
  // Remembers an address the account was registered or signed in from (30 days).
  rememberAddress(email: string, ip: string): Promise<void>;
}

// Runs the registration saga and waits for it.
export interface RegistrationGateway {
  register(input: RegistrationInput, signal: AbortSignal): Promise<{ userId: string; workflowId: string }>;
}

// The lifecycle workflows, as the use cases reach them. Signals to a workflow that has ended are
// ignored: each workflow's own checks (the database) decide, the signal only wakes it.
export interface LifecycleGateway {
  // Starts the email verification of a new account; starting it again is a no-op.
  startEmailVerification(userId: string, ttlMs: number): Promise<void>;
  emailVerified(userId: string): Promise<void>;
  resendVerification(userId: string): Promise<void>;
  // Starts the user's password reset, or asks the running one for a fresh code.
  requestPasswordReset(userId: string): Promise<void>;
  passwordReset(userId: string): Promise<void>;
  passwordChanged(userId: string): Promise<void>;
}

// Work a use case hands off after deciding its answer, so that the answer does not wait for it —
// nor take longer for a known email than for an unknown one. A failure is logged.
export type Background = (task: () => Promise<void>) => void;

export interface LifecycleSettings {
  sessions: SessionPolicy;
  requireVerifiedEmail: boolean;
  emailVerifyTtlMs: number;
}

// Everything the use cases may ask for; each takes the part it needs (Pick<AuthDeps, ...>).
// The OpenID provider's clients (oauth/adapters/clients.ts).
export interface OAuthClients {
  // Stores the client; a confidential client's secret is made here, returned once, stored hashed.
  // The audit records (given the new client's id) are written in the same transaction.
  create(
    client: NewOAuthClient,
    caller: Caller,
    audit: (made: { clientId: string; name: string }) => AuditRecord[],
  ): Promise<{ client: OAuthClient; clientSecret?: string }>;
  find(clientId: string): Promise<OAuthClient | undefined>;
  delete(clientId: string, caller: Caller, audit: AuditRecord[]): Promise<void>;
  // Oldest first, after the given client when paging.
  list(page: { after?: { time: Date; id: string }; limit: number }): Promise<OAuthClient[]>;
}

// The OpenID provider's grants, by user (oauth/adapters/app-grants.ts).
export interface AppGrants {
  // Most recent first.
  list(userId: string): Promise<AppGrant[]>;
  // Ends the grant of that client, and every token and code it holds for the user, with the audit
  // events, in one transaction.
  revoke(userId: string, clientId: string, caller: Caller, audit: AuditRecord[]): Promise<void>;
}

export interface AuthDeps {
  users: UserRepository;
  oauthClients: OAuthClients;
  appGrants: AppGrants;
  credentials: RegistrationCredentials;
  codes: EmailCodes;
  sessions: SessionStore;
  audit: AuditLog;
  hasher: PasswordHasher;
  bcrypt: BcryptQueue;
  tokens: AccessTokenIssuer;
  secrets: Secrets;
  limits: RateLimits;
  registration: RegistrationGateway;
  lifecycle: LifecycleGateway;
  background: Background;
  // Mails a user's code: the only way a code leaves this service.
  mailer: Mailer;
  settings: LifecycleSettings;
}
