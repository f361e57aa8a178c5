import { totpCodeAt } from "../domain/totp";
import { ADA, CALLER, ELSEWHERE, inMemoryApp, refusal, signIn } from "../../testing/in-memory-deps";

// Managing one's own factors over in-memory fakes; test/mfa/ runs the same against Postgres.

const T0 = new Date("2026-12-06T12:00:10Z");

async function signedIn() {
  const { world, app } = inMemoryApp();
  const ada = world.addUser(ADA);
  world.time.now = T0;
  const pair = await signIn(app, ADA, CALLER);
  return { world, app, ada, pair };
}

test("enrolment: a secret and its otpauth URI; a wrong first code or an expired enrolment is refused and counts nothing", async () => {
  const { world, app, pair } = await signedIn();
  const { enrollmentId, secret, otpauthUri } = await app.startTotpEnrollment(pair.accessToken);
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(otpauthUri).toBe(
    `otpauth://totp/FlowShield:ada%40example.com?issuer=FlowShield&secret=${secret}&algorithm=SHA1&digits=6&period=30`,
  );
  // The secret rests sealed.
  expect(JSON.stringify([...world.factors.values()])).not.toContain(`"${secret}"`);
  const wrong = await refusal(
    app.confirmTotpEnrollment(pair.accessToken, { enrollmentId, code: totpCodeAt(secret, new Date(T0.getTime() - 120_000)) }, CALLER),
  );
  expect([wrong.kind, wrong.field]).toEqual(["invalidArgument", "code"]);
  world.time.now = new Date(T0.getTime() + 11 * 60_000);
  const expired = await refusal(
    app.confirmTotpEnrollment(pair.accessToken, { enrollmentId, code: totpCodeAt(secret, world.time.now) }, CALLER),
  );
  expect(expired.kind).toBe("notFound");
  expect((await app.listFactors(pair.accessToken)).factors).toEqual([]);
  expect(world.audit).toEqual([expect.objectContaining({ type: "login_succeeded" })]);
});

test("confirming ends the other sessions, keeps this one, answers ten recovery codes once, and mails a notice", async () => {
  const { world, app, ada, pair } = await signedIn();
  const elsewhere = await signIn(app, ADA, ELSEWHERE);
  const { enrollmentId, secret } = await app.startTotpEnrollment(pair.accessToken);
  const { factor, recoveryCodes } = await app.confirmTotpEnrollment(
    pair.accessToken,
    { enrollmentId, code: totpCodeAt(secret, T0) },
    CALLER,
  );
  expect(factor).toMatchObject({ id: enrollmentId, type: "totp", name: "Authenticator app" });
  expect(new Set(recoveryCodes).size).toBe(10);
  for (const code of recoveryCodes) expect(code).toMatch(/^([0-9A-Z]{4}-){3}[0-9A-Z]{4}$/);
  expect((await refusal(app.refresh(elsewhere, ELSEWHERE))).reason).toBe("REFRESH_TOKEN_INVALID");
  await expect(app.refresh(pair, CALLER)).resolves.toHaveProperty("accessToken");
  expect(world.audit.at(-1)).toMatchObject({
    type: "mfa_enrolled",
    userId: ada.id,
    detail: { factor: "totp", kept_session_id: expect.any(String) },
  });
  await world.runBackground();
  expect(world.workflows).toEqual([`securityNotice mfa_enrolled ${ada.id}`]);
  // One authenticator per account.
  expect((await refusal(app.startTotpEnrollment(pair.accessToken))).reason).toBe("TOTP_ALREADY_ENROLLED");
});

test("removing the last factor turns the second step off and voids the recovery codes; someone else's factor is not found", async () => {
  const { world, app, pair } = await signedIn();
  const eve = world.addUser({ email: "eve@example.com", password: "another horse battery" });
  const evePair = await signIn(app, { email: eve.email, password: "another horse battery" }, ELSEWHERE);
  const { enrollmentId, secret } = await app.startTotpEnrollment(pair.accessToken);
  await app.confirmTotpEnrollment(pair.accessToken, { enrollmentId, code: totpCodeAt(secret, T0) }, CALLER);
  expect((await refusal(app.removeFactor(evePair.accessToken, { factorId: enrollmentId }, ELSEWHERE))).kind).toBe("notFound");
  expect((await refusal(app.removeFactor(pair.accessToken, { factorId: "not-a-uuid" }, CALLER))).field).toBe("factor_id");

  await app.removeFactor(pair.accessToken, { factorId: enrollmentId }, CALLER);
  expect(await app.listFactors(pair.accessToken)).toEqual({ factors: [], recoveryCodesLeft: 0 });
  await expect(signIn(app, ADA, CALLER)).resolves.toHaveProperty("accessToken");
  expect((await refusal(app.regenerateRecoveryCodes(pair.accessToken, CALLER))).reason).toBe("NO_FACTOR");
  expect((await refusal(app.startStepUp(pair.accessToken))).reason).toBe("NO_FACTOR");
});

test("regenerated recovery codes replace the old ones", async () => {
  const { world, app, pair } = await signedIn();
  const { enrollmentId, secret } = await app.startTotpEnrollment(pair.accessToken);
  const first = await app.confirmTotpEnrollment(pair.accessToken, { enrollmentId, code: totpCodeAt(secret, T0) }, CALLER);
  const { recoveryCodes } = await app.regenerateRecoveryCodes(pair.accessToken, CALLER);
  expect(recoveryCodes.some((c) => first.recoveryCodes.includes(c))).toBe(false);
  const challengeId = async () => {
    const outcome = await app.login(ADA, CALLER);
    return "challenge" in outcome ? outcome.challenge.id : "";
  };
  expect(
    (
      await refusal(
        app.completeLogin({ challengeId: await challengeId(), answer: { kind: "recovery_code", code: first.recoveryCodes[0]! } }, CALLER),
      )
    ).reason,
  ).toBe("INVALID_FACTOR");
  await expect(
    app.completeLogin({ challengeId: await challengeId(), answer: { kind: "recovery_code", code: recoveryCodes[0]! } }, CALLER),
  ).resolves.toHaveProperty("refreshToken");
  expect(world.audit.map((a) => a.type)).toContain("recovery_codes_regenerated");
});

test("an operator's reset removes every factor and recovery code, ends all access, and is audited and mailed", async () => {
  const { world, app, ada, pair } = await signedIn();
  const { enrollmentId, secret } = await app.startTotpEnrollment(pair.accessToken);
  await app.confirmTotpEnrollment(pair.accessToken, { enrollmentId, code: totpCodeAt(secret, T0) }, CALLER);
  await world.runBackground();
  world.workflows.length = 0;
  expect(await app.resetFactors({ userId: ada.id }, CALLER)).toEqual({ removed: 1 });
  expect((await refusal(app.refresh(pair, CALLER))).reason).toBe("REFRESH_TOKEN_INVALID");
  await expect(signIn(app, ADA, CALLER)).resolves.toHaveProperty("accessToken");
  expect(world.audit.at(-2)).toMatchObject({ type: "mfa_reset", userId: ada.id });
  await world.runBackground();
  expect(world.workflows).toEqual([`securityNotice mfa_reset ${ada.id}`]);
  // Nothing left to reset: nothing happens.
  expect(await app.resetFactors({ userId: ada.id }, CALLER)).toEqual({ removed: 0 });
  expect((await refusal(app.resetFactors({ userId: crypto.randomUUID() }, CALLER))).kind).toBe("notFound");
});
