import { RateLimitedError } from "@flowshield/common/contract/errors";
import { createAuthApplication } from "../../kernel/app/application";
import { ADA, CALLER, inMemoryApp, inMemoryWorld, LOGIN_FAILURES_ALLOWED, refusal, signIn } from "../../testing/in-memory-deps";

// Login's rules over in-memory fakes; test/service/auth.test.ts and test/attacks/ drive the same
// use case over Postgres and real HTTP/2, concurrently and from several addresses.

function setup() {
  const { world, app } = inMemoryApp();
  const user = world.addUser(ADA);
  return { world, app, user };
}

test("an unknown email, a wrong password and a disabled account get one answer, each after a password check", async () => {
  const { world, app, user } = setup();
  const disabled = world.addUser({ email: "gone@example.com", password: "correct horse battery", status: "disabled" });
  const answers = [
    await refusal(app.login({ email: "nobody@example.com", password: "correct horse battery" }, CALLER)),
    await refusal(app.login({ email: user.email, password: "wrong horse battery" }, CALLER)),
    await refusal(app.login({ email: disabled.email, password: "correct horse battery" }, CALLER)),
  ];
  expect(answers.map((e) => [e.kind, e.reason, e.message])).toEqual(
    Array(3).fill(["unauthenticated", "WRONG_CREDENTIALS", "wrong email or password"]),
  );
  expect(world.passwordChecks.count).toBe(3);
  expect(world.sessions.size).toBe(0);
  expect(world.audit.map((a) => a.detail?.reason)).toEqual(["unknown_email", "wrong_password", "status"]);
});

test("the failure that reaches the limit is audited as a lockout; after it even the right password is refused unchecked", async () => {
  const { world, app, user } = setup();
  for (let i = 0; i < LOGIN_FAILURES_ALLOWED; i++) await refusal(app.login({ email: user.email, password: "wrong horse battery" }, CALLER));
  expect(world.audit.filter((a) => a.type === "locked_out")).toHaveLength(1);
  const checked = world.passwordChecks.count;
  const locked = await refusal(app.login({ email: user.email, password: "correct horse battery" }, CALLER));
  expect([locked.kind, locked.reason]).toEqual(["resourceExhausted", "LOCKED_OUT"]);
  expect(world.passwordChecks.count).toBe(checked);
  expect(world.audit.filter((a) => a.type === "rate_limited")).toEqual([expect.objectContaining({ detail: { limit: "login_lockout" } })]);
});

test("a password longer than bcrypt reads is refused before any check", async () => {
  const { world, app, user } = setup();
  const err = await refusal(app.login({ email: user.email, password: "x".repeat(100) }, CALLER));
  expect([err.kind, err.field]).toEqual(["invalidArgument", "password"]);
  expect(world.passwordChecks.count).toBe(0);
});

test("with verified emails required, the right password of an unverified account opens no session", async () => {
  const { world, app } = setup();
  world.deps.settings.requireVerifiedEmail = true;
  const fresh = world.addUser({ email: "new@example.com", password: "correct horse battery", emailVerified: false });
  const err = await refusal(app.login({ email: fresh.email, password: "correct horse battery" }, CALLER));
  expect([err.kind, err.reason]).toEqual(["failedPrecondition", "EMAIL_NOT_VERIFIED"]);
  expect(world.sessions.size).toBe(0);
});

test("the right password opens a session for the caller's address and clears the failures", async () => {
  const { world, app, user } = setup();
  await refusal(app.login({ email: " ADA@example.com ", password: "wrong horse battery" }, CALLER));
  const pair = await signIn(app, { email: "ADA@example.com", password: "correct horse battery" }, CALLER);
  const [session] = [...world.sessions.values()];
  expect(session).toMatchObject({ userId: user.id, ip: CALLER.ip });
  expect(pair.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(await world.deps.tokens.verify(pair.accessToken)).toEqual({ userId: user.id, sessionId: session?.id });
  expect(world.knownAddresses.has(`${user.email} ${CALLER.ip}`)).toBe(true);
  expect(world.audit.at(-1)).toMatchObject({ type: "login_succeeded", userId: user.id });
});

// The admission (passwords/adapters/bcrypt-queue.ts) turns away a caller's surplus attempts on an
// account in memory: a flood from one address must cost no query, so nothing is read before it.
test("the risk engine screens a sign-in once it is admitted; one turned away reads nothing", async () => {
  const world = inMemoryWorld();
  const user = world.addUser(ADA);
  const reads: string[] = [];
  let admitting = true;
  const deps = {
    ...world.deps,
    risk: { ...world.deps.risk, screenSignIn: async () => void reads.push("screen") },
    limits: {
      ...world.deps.limits,
      isKnownAddress: async (email: string, ip: string) => (reads.push("known"), world.deps.limits.isKnownAddress(email, ip)),
    },
    bcrypt: {
      ...world.deps.bcrypt,
      admit: <T>(_caller: string, work: () => Promise<T>) =>
        admitting ? work() : Promise.reject(new RateLimitedError("BUSY", "busy", 1_000)),
    },
  };
  const app = createAuthApplication(deps, { oauthResourceServers: [] });
  await signIn(app, { email: user.email, password: ADA.password }, CALLER);
  expect(reads).toEqual(["screen", "known"]);
  admitting = false;
  const busy = await refusal(app.login({ email: user.email, password: ADA.password }, CALLER));
  expect([busy.kind, busy.reason]).toEqual(["resourceExhausted", "BUSY"]);
  expect(reads).toEqual(["screen", "known"]);
  expect(world.passwordChecks.count).toBe(1);
});
