import { ADA, CALLER, inMemoryApp, mailedCode, refusal } from "../../testing/in-memory-deps";

// Email verification's rules over in-memory fakes; test/lifecycle/ runs them with the workflow,
// Postgres and a real SMTP server.

function setup() {
  const { world, app } = inMemoryApp();
  const ada = world.addUser({ ...ADA, emailVerified: false });
  return { world, app, ada };
}

test("one answer for a wrong code and an unknown email; the right code verifies once and tells the workflow", async () => {
  const { world, app, ada } = setup();
  await app.sendEmailCode({ userId: ada.id, purpose: "verify_email", reminder: false });
  const code = mailedCode(world);
  const wrong = await refusal(app.verifyEmail({ email: ada.email, code: "00000-00000" }, CALLER));
  const nobody = await refusal(app.verifyEmail({ email: "nobody@example.com", code }, CALLER));
  expect(nobody.message).toBe(wrong.message);
  expect(world.users.get(ada.id)?.emailVerified).toBe(false);

  await app.verifyEmail({ email: ada.email, code }, CALLER);
  expect(world.users.get(ada.id)?.emailVerified).toBe(true);
  expect(world.workflows).toEqual([`emailVerified ${ada.id}`]);
  expect((await refusal(app.verifyEmail({ email: ada.email, code }, CALLER))).field).toBe("code");
  // A verified email gets no more codes.
  expect((await refusal(app.sendEmailCode({ userId: ada.id, purpose: "verify_email", reminder: true }))).reason).toBe(
    "EMAIL_ALREADY_VERIFIED",
  );
});

test("a code of the other purpose does not verify", async () => {
  const { world, app, ada } = setup();
  await app.sendEmailCode({ userId: ada.id, purpose: "reset_password", reminder: false });
  expect((await refusal(app.verifyEmail({ email: ada.email, code: mailedCode(world) }, CALLER))).field).toBe("code");
});

test("a resend answers OK for anyone, and asks the workflow only for an unverified account that may sign in", async () => {
  const { world, app, ada } = setup();
  world.addUser({ email: "done@example.com", password: "correct horse battery" });
  world.addUser({ email: "gone@example.com", password: "correct horse battery", status: "disabled", emailVerified: false });
  for (const email of ["nobody@example.com", "done@example.com", "gone@example.com", ada.email]) {
    await app.resendVerificationEmail({ email }, CALLER);
  }
  await world.runBackground();
  expect(world.workflows).toEqual([`resendVerification ${ada.id}`]);
});

test("when the account's mail quota is spent, the resend still answers OK but mails nothing", async () => {
  const { world, app } = setup();
  world.quotas.set("mail verify_email", 0);
  await app.resendVerificationEmail({ email: "ada@example.com" }, CALLER);
  await world.runBackground();
  expect(world.workflows).toEqual([]);
});
