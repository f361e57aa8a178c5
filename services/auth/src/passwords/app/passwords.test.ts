import { ADA, CALLER, ELSEWHERE, inMemoryApp, mailedCode, refusal, signIn } from "../../testing/in-memory-deps";

// Password reset and change over in-memory fakes; test/lifecycle/ and test/attacks/codes.test.ts
// run them through the workflows, Postgres and a real SMTP server.

function setup() {
  const { world, app } = inMemoryApp();
  const ada = world.addUser(ADA);
  return { world, app, ada };
}

test("asking a reset for an unknown, a disabled and a real account answers the same; only the real one starts the workflow", async () => {
  const { world, app, ada } = setup();
  world.addUser({ email: "gone@example.com", password: "correct horse battery", status: "disabled" });
  for (const email of ["nobody@example.com", "gone@example.com", ada.email]) {
    await expect(app.requestPasswordReset({ email }, ELSEWHERE)).resolves.toBeUndefined();
  }
  expect(world.workflows).toEqual([]);
  await world.runBackground();
  expect(world.workflows).toEqual([`requestPasswordReset ${ada.id}`]);
  expect(world.audit).toEqual([expect.objectContaining({ type: "password_reset_requested", userId: ada.id })]);
});

test("a spent reset quota refuses the caller, audits the first refusal, and starts nothing", async () => {
  const { world, app, ada } = setup();
  world.quotas.set("passwordReset", 0);
  const err = await refusal(app.requestPasswordReset({ email: ada.email }, ELSEWHERE));
  expect(err.kind).toBe("resourceExhausted");
  await world.runBackground();
  expect(world.workflows).toEqual([]);
  expect(world.audit.map((a) => a.type)).toEqual(["rate_limited"]);
});

test("a weak new password is refused before the code is guessed; a wrong code changes nothing", async () => {
  const { world, app, ada } = setup();
  await app.sendEmailCode({ userId: ada.id, purpose: "reset_password", reminder: false });
  const code = mailedCode(world);
  world.quotas.set("guess reset_password", 1);
  const weak = await refusal(app.resetPassword({ email: ada.email, code, newPassword: "password" }, ELSEWHERE));
  expect(weak.field).toBe("new_password");
  expect(world.quotas.get("guess reset_password")).toBe(1);

  const wrong = await refusal(app.resetPassword({ email: ada.email, code: "00000-00000", newPassword: "a new horse battery" }, ELSEWHERE));
  expect([wrong.kind, wrong.field]).toEqual(["invalidArgument", "code"]);
  expect(world.users.get(ada.id)?.passwordHash).toBe("plain:correct horse battery");
  // The guess was spent: the next one is refused, even with the right code.
  expect((await refusal(app.resetPassword({ email: ada.email, code, newPassword: "a new horse battery" }, ELSEWHERE))).kind).toBe(
    "resourceExhausted",
  );
});

test("the right code sets the password, ends every session and works once", async () => {
  const { world, app, ada } = setup();
  const pair = await signIn(app, { email: ada.email, password: "correct horse battery" }, CALLER);
  await app.sendEmailCode({ userId: ada.id, purpose: "reset_password", reminder: false });
  const code = mailedCode(world).toLowerCase();
  await app.resetPassword({ email: ada.email, code, newPassword: "a new horse battery" }, ELSEWHERE);
  expect(world.workflows).toEqual([`passwordReset ${ada.id}`]);
  expect((await refusal(app.refresh(pair, CALLER))).reason).toBe("REFRESH_TOKEN_INVALID");
  expect((await refusal(app.resetPassword({ email: ada.email, code, newPassword: "a third horse battery" }, ELSEWHERE))).field).toBe(
    "code",
  );
  await expect(signIn(app, { email: ada.email, password: "a new horse battery" }, CALLER)).resolves.toHaveProperty("accessToken");
});

test("changing the password needs the current one (a failure counts like a login) and keeps only the calling session", async () => {
  const { world, app, ada } = setup();
  const here = await signIn(app, { email: ada.email, password: "correct horse battery" }, CALLER);
  const elsewhere = await signIn(app, { email: ada.email, password: "correct horse battery" }, ELSEWHERE);
  const wrong = await refusal(
    app.changePassword(here.accessToken, { currentPassword: "wrong horse battery", newPassword: "a new horse battery" }, CALLER),
  );
  expect([wrong.kind, wrong.reason]).toEqual(["unauthenticated", "WRONG_CREDENTIALS"]);
  expect(world.users.get(ada.id)?.passwordHash).toBe("plain:correct horse battery");

  await app.changePassword(here.accessToken, { currentPassword: "correct horse battery", newPassword: "a new horse battery" }, CALLER);
  expect(world.workflows).toEqual([`passwordChanged ${ada.id}`]);
  expect((await refusal(app.refresh(elsewhere, ELSEWHERE))).reason).toBe("REFRESH_TOKEN_INVALID");
  await expect(app.refresh(here, CALLER)).resolves.toHaveProperty("refreshToken");
});
