import { createHash, randomBytes, randomInt } from "node:crypto";
import { AlreadyExistsError, DomainError, RateLimitedError, UnauthenticatedError } from "@flowshield/common/contract/errors";
import type { Mail } from "@flowshield/common/mail/mailer";
import type { AuditRecord, Caller } from "../audit/domain/audit";
import type { EmailCodePurpose } from "../email-codes/domain/email-code";
import { createAuthApplication } from "../kernel/app/application";
import type { AuthDeps } from "../kernel/app/dependencies";
import type { LoginAttempt } from "../limits/app/dependencies";
import type { Rotation } from "../sessions/app/dependencies";
import type { User } from "../kernel/domain/user";
import type { AppGrant, OAuthClient } from "../oauth/domain/oauth-client";
import { isSessionLive, withinReuseGrace, type Session } from "../sessions/domain/session";
import type { LoginOutcome, LoginRequest } from "../sessions/app/login";
import type { TokenPair } from "../sessions/app/sessions";
import { newRecoveryCode } from "../mfa/domain/recovery-codes";
import { inMemoryFactorDeps } from "./in-memory-factors";
import { createWebAuthn } from "../passkeys/adapters/webauthn";
import { relyingPartyOf } from "../passkeys/domain/passkey";
import { DISABLED_RISK_ENGINE } from "../risk/app/risk-engine";

// Every interface AuthDeps gathers (kernel/app/dependencies.ts), in memory, for the use cases'
// unit tests: the rules are tested here in milliseconds, and the same paths again against
// Postgres, Temporal and SMTP by the suites under test/. Each fake keeps what a test needs to look
// at (the audit trail, the mail, the workflows signalled) and keeps the contract its interface
// states, no more.

const DAY_MS = 24 * 60 * 60 * 1000;
export const LOGIN_FAILURES_ALLOWED = 10;
export const FACTOR_GUESSES_ALLOWED = 10;

export interface InMemoryWorld {
  deps: AuthDeps;
  users: Map<string, User>;
  sessions: Map<string, Session>;
  audit: Array<AuditRecord & { caller: Caller }>;
  mail: Mail[];
  // Lifecycle workflow signals and starts, as "method userId".
  workflows: string[];
  passwordChecks: { count: number };
  // Work handed to the background, not run until runBackground() is called.
  runBackground(): Promise<void>;
  // Quotas of the rate-limited actions (unlimited unless set) and the addresses accounts know.
  quotas: Map<string, number>;
  knownAddresses: Set<string>;
  // The apps each user allowed (the provider makes them in the real world).
  grants: Map<string, AppGrant[]>;
  addUser(user: Partial<User> & { email: string; password: string }): User;
  // The second factors' clock: unset, it is the real time.
  time: { now?: Date };
  // Every factor, confirmed or not.
  factors: ReturnType<typeof inMemoryFactorDeps>["all"];
}

export const CALLER: Caller = { requestId: "request-1", ip: "192.0.2.1", userAgent: "jest" };
// Another address, with a request of its own: a stranger's, or the user's from elsewhere.
export const ELSEWHERE: Caller = { requestId: "request-2", ip: "198.51.100.7", userAgent: "jest" };
// A user's sign-in (world.addUser takes it as it is, with the fields a test changes).
export const ADA = { email: "ada@example.com", password: "correct horse battery" };

// The application object over a fresh in-memory world: where a use case's test starts.
export function inMemoryApp() {
  const world = inMemoryWorld();
  return { world, app: createAuthApplication(world.deps, { oauthResourceServers: [] }) };
}

export function inMemoryWorld(): InMemoryWorld {
  const users = new Map<string, User>();
  const sessions = new Map<string, Session>();
  const audit: InMemoryWorld["audit"] = [];
  const mail: Mail[] = [];
  const workflows: string[] = [];
  const passwordChecks = { count: 0 };
  const background: Array<() => Promise<void>> = [];
  const quotas = new Map<string, number>();
  const knownAddresses = new Set<string>();
  const failures = new Map<string, number>();
  const refreshTokens = new Map<string, { sessionId: string; consumeTime?: Date; successorHash?: string }>();
  const codes: Array<{ userId: string; purpose: EmailCodePurpose; hash: string; expireTime: Date; used: boolean }> = [];
  const grants = new Map<string, AppGrant[]>();
  const clients = new Map<string, OAuthClient>();
  const credentials = new Map<string, string>();
  const record = (caller: Caller, records: AuditRecord[]) => audit.push(...records.map((r) => ({ ...r, caller })));
  const hash = (password: string) => `plain:${password}`;
  const sha = (text: string) => createHash("sha256").update(text).digest("base64url");

  const endAll = (userId: string, keep?: string) => {
    for (const s of sessions.values()) if (s.userId === userId && s.id !== keep) s.revokeTime ??= new Date();
    grants.delete(userId);
  };
  const spend = (key: string) => {
    const left = quotas.get(key);
    if (left === undefined) return;
    if (left <= 0) throw new RateLimitedError("RATE_LIMITED", "too many attempts", 60_000, key);
    quotas.set(key, left - 1);
  };

  const time: { now?: Date } = {};
  const mfa = inMemoryFactorDeps({ endAll, record });
  const factorGuesses = new Map<string, number>();

  const deps: AuthDeps = {
    users: {
      findById: async (id) => users.get(id),
      findByEmail: async (email) => [...users.values()].find((u) => u.email === email),
      insertIfAbsent: async (user) => {
        if (users.has(user.id) || [...users.values()].some((u) => u.email === user.email)) return undefined;
        users.set(user.id, { ...user });
        return user;
      },
      deleteById: async (id) => users.delete(id),
      activate: async (id, caller, records) => {
        const user = users.get(id);
        if (user?.status === "pending") {
          user.status = "active";
          record(caller, records);
        }
        return user;
      },
      expireUnverified: async (id, caller, records) => {
        const user = users.get(id);
        if (user?.emailVerified === true) return "verified";
        if (user !== undefined && user.status !== "disabled") {
          user.status = "disabled";
          record(caller, records);
        }
        return "expired";
      },
      setDisabled: async (id, disabled, caller, records) => {
        const user = users.get(id);
        if (user === undefined || user.status === "pending") return user;
        user.status = disabled ? "disabled" : "active";
        if (disabled) endAll(id);
        record(caller, records);
        return user;
      },
      changePassword: async (id, passwordHash, keep, caller, records) => {
        const user = users.get(id);
        if (user !== undefined) user.passwordHash = passwordHash;
        endAll(id, keep);
        record(caller, records);
      },
    },
    credentials: {
      store: async (userId, passwordHash) => void credentials.set(userId, passwordHash),
      find: async (userId) => credentials.get(userId),
      discard: async (userId) => void credentials.delete(userId),
    },
    codes: {
      issue: async (userId, purpose, codeHash, expireTime) => void codes.push({ userId, purpose, hash: codeHash, expireTime, used: false }),
      check: async (userId, purpose, codeHash, now) =>
        codes.some((c) => c.userId === userId && c.purpose === purpose && c.hash === codeHash && !c.used && now < c.expireTime)
          ? "ok"
          : "wrong",
      consume: async (userId, purpose, codeHash, now, then, caller, records) => {
        const code = codes.find(
          (c) => c.userId === userId && c.purpose === purpose && c.hash === codeHash && !c.used && now < c.expireTime,
        );
        const user = users.get(userId);
        if (code === undefined || user === undefined) return false;
        for (const c of codes) if (c.userId === userId && c.purpose === purpose) c.used = true;
        if ("verifyEmail" in then) user.emailVerified = true;
        else {
          if ("passwordHash" in then) user.passwordHash = then.passwordHash;
          endAll(userId);
        }
        record(caller, records);
        return true;
      },
    },
    sessions: {
      start: async (session, tokenHash, caller, records) => {
        sessions.set(session.id, { ...session });
        refreshTokens.set(tokenHash, { sessionId: session.id });
        record(caller, records);
      },
      rotate: async (tokenHash, successorHash, policy, now, caller): Promise<Rotation> => {
        const token = refreshTokens.get(tokenHash);
        const session = token === undefined ? undefined : sessions.get(token.sessionId);
        if (token === undefined || session === undefined || !isSessionLive(session, policy, now)) return { kind: "invalid" };
        if (token.consumeTime === undefined) {
          token.consumeTime = now;
          token.successorHash = successorHash;
          refreshTokens.set(successorHash, { sessionId: session.id });
          session.lastUseTime = now;
          return { kind: "rotated", session };
        }
        if (token.successorHash === successorHash && withinReuseGrace(token.consumeTime, now, policy.reuseGraceMs))
          return { kind: "grace", session };
        session.revokeTime = now;
        record(caller, [{ type: "refresh_reused", userId: session.userId, detail: { session_id: session.id } }]);
        return { kind: "reused", session };
      },
      endByRefreshToken: async (tokenHash, _reason, caller, records) => {
        const session = sessions.get(refreshTokens.get(tokenHash)?.sessionId ?? "");
        if (session === undefined || session.revokeTime !== undefined) return false;
        session.revokeTime = new Date();
        record(caller, records(session));
        return true;
      },
      endAll: async (userId, _reason, caller, records) => {
        endAll(userId);
        record(caller, records);
      },
      revoke: async (userId, sessionId, _reason, caller, records) => {
        const session = sessions.get(sessionId);
        if (session === undefined || session.userId !== userId || session.revokeTime !== undefined) return false;
        session.revokeTime = new Date();
        record(caller, records);
        return true;
      },
      markFactor: async (sessionId, amr, now) => {
        const session = sessions.get(sessionId);
        if (session === undefined || session.revokeTime !== undefined) return false;
        Object.assign(session, { amr, factorTime: now });
        return true;
      },
      findLive: async (sessionId, policy, now) => {
        const session = sessions.get(sessionId);
        return session !== undefined && isSessionLive(session, policy, now) ? session : undefined;
      },
      listLive: async (userId, policy, now) => [...sessions.values()].filter((s) => s.userId === userId && isSessionLive(s, policy, now)),
    },
    audit: {
      record: async (caller, records) => void record(caller, records),
      list: async () => [],
    },
    hasher: {
      hash: async (password) => hash(password),
      verify: async (password, passwordHash) => {
        passwordChecks.count++;
        return passwordHash === hash(password);
      },
    },
    bcrypt: { run: (_lane, work) => work(), admit: (_caller, work) => work() },
    tokens: {
      issue: async (userId, sessionId, amr) => ({ accessToken: `access.${userId}.${sessionId}.${amr.join("+")}`, expiresIn: 900 }),
      verify: async (accessToken) => {
        const [kind, userId, sessionId] = accessToken.split(".");
        if (kind !== "access" || userId === undefined || sessionId === undefined)
          throw new UnauthenticatedError("ACCESS_TOKEN_INVALID", "the access token is invalid or expired");
        return { userId, sessionId };
      },
    },
    secrets: {
      newRefreshToken: () => randomBytes(32).toString("base64url"),
      successorOf: (token) => sha(`successor of ${token}`),
      hashToken: (token) => sha(token),
      newCode: () => randomBytes(5).toString("hex").toUpperCase(),
      hashCode: (purpose, userId, code) => sha(`${purpose} ${userId} ${code}`),
      newRecoveryCode: () => newRecoveryCode(randomInt),
      hashRecoveryCode: (userId, code) => sha(`recovery ${userId} ${code}`),
    },
    limits: {
      isKnownAddress: async (email, ip) => knownAddresses.has(`${email} ${ip}`),
      reserveLogin: async (email, ip): Promise<LoginAttempt> => {
        const key = `${email} ${ip}`;
        if ((failures.get(key) ?? 0) >= LOGIN_FAILURES_ALLOWED)
          throw new RateLimitedError("LOCKED_OUT", "too many failed sign-ins", 60_000, "login_lockout");
        failures.set(key, (failures.get(key) ?? 0) + 1);
        return {
          failed: async () => ({ lockedOut: (failures.get(key) ?? 0) >= LOGIN_FAILURES_ALLOWED }),
          succeeded: async () => {
            failures.delete(key);
            knownAddresses.add(key);
          },
          abandoned: async () => void failures.set(key, (failures.get(key) ?? 1) - 1),
        };
      },
      consume: async (action) => spend(action),
      reserveCodeGuess: async (purpose) => spend(`guess ${purpose}`),
      mayMailCode: async (purpose) => (quotas.get(`mail ${purpose}`) ?? 1) > 0,
      rememberAddress: async (email, ip) => void knownAddresses.add(`${email} ${ip}`),
      reserveFactorGuess: async (userId) => {
        const taken = factorGuesses.get(userId) ?? 0;
        if (taken >= FACTOR_GUESSES_ALLOWED)
          throw new RateLimitedError("TOO_MANY_FACTOR_ATTEMPTS", "too many wrong codes", 60_000, "factor_guess");
        factorGuesses.set(userId, taken + 1);
        return { succeeded: async () => void factorGuesses.set(userId, (factorGuesses.get(userId) ?? 1) - 1) };
      },
    },
    registration: {
      register: async (input) => {
        const passwordHash = credentials.get(input.userId);
        if (passwordHash === undefined) throw new Error("registration started without a stored hash");
        const now = new Date();
        const made = await deps.users.insertIfAbsent({
          id: input.userId,
          email: input.email,
          status: "active",
          passwordHash,
          createTime: now,
          updateTime: now,
          emailVerified: false,
        });
        if (made === undefined) throw new AlreadyExistsError("email", "EMAIL_TAKEN", "the email is registered already");
        credentials.delete(input.userId);
        return { userId: input.userId, workflowId: `registration-${input.userId}` };
      },
    },
    lifecycle: {
      startEmailVerification: async (userId) => void workflows.push(`startEmailVerification ${userId}`),
      emailVerified: async (userId) => void workflows.push(`emailVerified ${userId}`),
      resendVerification: async (userId) => void workflows.push(`resendVerification ${userId}`),
      requestPasswordReset: async (userId) => void workflows.push(`requestPasswordReset ${userId}`),
      passwordReset: async (userId) => void workflows.push(`passwordReset ${userId}`),
      passwordChanged: async (userId) => void workflows.push(`passwordChanged ${userId}`),
      securityNotice: async (userId, notice) => void workflows.push(`securityNotice ${notice} ${userId}`),
      newSignInNotice: async (userId, signIn) => void workflows.push(`newSignInNotice ${userId} ${signIn.place} ${signIn.device}`),
    },
    background: (task) => void background.push(task),
    mailer: { send: async (m) => void mail.push(m), close: () => {} },
    appGrants: {
      list: async (userId) => grants.get(userId) ?? [],
      revoke: async (userId, clientId, caller, records) => {
        grants.set(
          userId,
          (grants.get(userId) ?? []).filter((g) => g.clientId !== clientId),
        );
        record(caller, records);
      },
    },
    oauthClients: {
      create: async (client, caller, records) => {
        const made: OAuthClient = { ...client, clientId: crypto.randomUUID(), createTime: new Date() };
        clients.set(made.clientId, made);
        record(caller, records(made));
        return { client: made, ...(client.type === "confidential" ? { clientSecret: randomBytes(32).toString("base64url") } : {}) };
      },
      find: async (clientId) => clients.get(clientId),
      delete: async (clientId, caller, records) => {
        clients.delete(clientId);
        record(caller, records);
      },
      list: async ({ limit }) => [...clients.values()].slice(0, limit),
    },
    factors: mfa.factors,
    challenges: mfa.challenges,
    factorSecrets: mfa.factorSecrets,
    passkeys: mfa.passkeys,
    // The real ceremonies (pure), for a site on localhost.
    webauthn: createWebAuthn(relyingPartyOf("http://localhost")),
    // Off, as in the stack tests; risk/app's tests put an engine on in-memory stores here.
    risk: DISABLED_RISK_ENGINE,
    clock: () => time.now ?? new Date(),
    settings: {
      publicUrl: "http://localhost",
      sessions: { refreshTtlMs: 30 * DAY_MS, idleTtlMs: 7 * DAY_MS, reuseGraceMs: 10_000 },
      requireVerifiedEmail: false,
      emailVerifyTtlMs: DAY_MS,
    },
  };

  return {
    deps,
    users,
    sessions,
    audit,
    mail,
    workflows,
    passwordChecks,
    quotas,
    knownAddresses,
    grants,
    time,
    factors: mfa.all,
    async runBackground() {
      for (const task of background.splice(0)) await task();
    },
    addUser({ password, ...fields }) {
      const now = new Date();
      const user: User = {
        id: crypto.randomUUID(),
        status: "active",
        createTime: now,
        updateTime: now,
        emailVerified: true,
        ...fields,
        passwordHash: hash(password),
      };
      users.set(user.id, user);
      return user;
    },
  };
}

// The refusal a use case answered with (a test fails when it answered, or threw something else).
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return err;
}

// The code in the last mail sent.
export function mailedCode(world: InMemoryWorld): string {
  const code = /code: ([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(world.mail.at(-1)?.text ?? "")?.[1];
  if (code === undefined) throw new Error("no code was mailed");
  return code;
}

// A password-only sign-in's tokens (a test fails when the account asked for a second factor).
export async function signIn(
  app: { login(req: LoginRequest, caller: Caller): Promise<LoginOutcome> },
  req: LoginRequest,
  caller: Caller,
): Promise<TokenPair> {
  const outcome = await app.login(req, caller);
  if (!("tokens" in outcome)) throw new Error("the account asked for a second factor");
  return outcome.tokens;
}
