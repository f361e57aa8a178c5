import { ADA, CALLER, inMemoryApp, refusal, signIn } from "../../testing/in-memory-deps";

// Refresh rotation, reuse and the session RPCs' ownership rules over in-memory fakes;
// test/attacks/stolen-tokens.test.ts races the same rules over Postgres.

async function signedIn() {
  const { world, app } = inMemoryApp();
  const ada = world.addUser(ADA);
  const pair = await signIn(app, { email: ada.email, password: "correct horse battery" }, CALLER);
  return { world, app, ada, pair };
}

test("a refresh token works once; its concurrent twin gets the same successor; a later replay ends the session", async () => {
  const { world, app, pair } = await signedIn();
  const [first, twin] = await Promise.all([app.refresh(pair, CALLER), app.refresh(pair, CALLER)]);
  expect(first.refreshToken).not.toBe(pair.refreshToken);
  expect(twin.refreshToken).toBe(first.refreshToken);

  const later = await app.refresh({ refreshToken: first.refreshToken }, CALLER);
  // The grace window over: none left, and a moment later.
  world.deps.settings.sessions.reuseGraceMs = 0;
  await new Promise((resolve) => setTimeout(resolve, 5));
  const replay = await refusal(app.refresh({ refreshToken: first.refreshToken }, CALLER));
  expect([replay.kind, replay.reason]).toEqual(["unauthenticated", "REFRESH_TOKEN_INVALID"]);
  // The thief's replay ended the session: the token the owner holds is dead too.
  const owner = await refusal(app.refresh({ refreshToken: later.refreshToken }, CALLER));
  expect(owner.reason).toBe("REFRESH_TOKEN_INVALID");
  expect(world.audit.filter((a) => a.type === "refresh_reused")).toHaveLength(1);
});

test("a malformed refresh token is INVALID_ARGUMENT, not a lookup", async () => {
  const { app } = await signedIn();
  for (const refreshToken of ["", "short", "x".repeat(43) + "!"]) {
    const err = await refusal(app.refresh({ refreshToken }, CALLER));
    expect([err.kind, err.field]).toEqual(["invalidArgument", "refresh_token"]);
  }
});

test("a user cannot revoke another user's session, and learns nothing about it", async () => {
  const { world, app, pair } = await signedIn();
  const eve = world.addUser({ email: "eve@example.com", password: "another horse battery" });
  const evePair = await signIn(app, { email: eve.email, password: "another horse battery" }, CALLER);
  const [adaSession] = [...world.sessions.values()].filter((s) => s.userId !== eve.id);
  const err = await refusal(app.revokeSession(evePair.accessToken, { sessionId: adaSession?.id ?? "" }, CALLER));
  expect([err.kind, err.reason]).toEqual(["notFound", "SESSION_NOT_FOUND"]);
  expect(adaSession?.revokeTime).toBeUndefined();
  expect(await app.refresh(pair, CALLER)).toHaveProperty("refreshToken");
});

test("an access token outlives its session by minutes, but the session RPCs refuse it at once", async () => {
  const { app, pair } = await signedIn();
  await app.signOutEverywhere(pair.accessToken, CALLER);
  for (const call of [() => app.listSessions(pair.accessToken), () => app.signOutEverywhere(pair.accessToken, CALLER)]) {
    const err = await refusal(call());
    expect([err.kind, err.reason]).toEqual(["unauthenticated", "SESSION_ENDED"]);
  }
  expect((await refusal(app.refresh(pair, CALLER))).reason).toBe("REFRESH_TOKEN_INVALID");
});

test("logout is idempotent and ends only the session of its token", async () => {
  const { world, app, ada, pair } = await signedIn();
  const other = await signIn(app, { email: ada.email, password: "correct horse battery" }, CALLER);
  await app.logout(pair, CALLER);
  await app.logout(pair, CALLER);
  expect(world.audit.filter((a) => a.type === "logged_out")).toHaveLength(1);
  const live = await app.listSessions(other.accessToken);
  expect(live.map((s) => s.current)).toEqual([true]);
});
