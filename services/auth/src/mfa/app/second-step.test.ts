import { totpCodeAt } from "../domain/totp";
import { ADA, CALLER, ELSEWHERE, FACTOR_GUESSES_ALLOWED, inMemoryApp, refusal, signIn } from "../../testing/in-memory-deps";
import type { ChallengeTicket } from "./second-step";

// Sign-in's second step over in-memory fakes, on a clock the tests move; test/mfa/ runs the same
// over HTTP/2, Postgres, Temporal and SMTP.

const T0 = new Date("2026-12-06T12:00:10Z");
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

// Ada with an authenticator app enrolled at T0, her recovery codes, and the app's secret.
async function withTotp() {
  const { world, app } = inMemoryApp();
  const ada = world.addUser(ADA);
  world.time.now = T0;
  const pair = await signIn(app, ADA, CALLER);
  const { enrollmentId, secret } = await app.startTotpEnrollment(pair.accessToken);
  const { recoveryCodes } = await app.confirmTotpEnrollment(pair.accessToken, { enrollmentId, code: totpCodeAt(secret, T0) }, CALLER);
  await world.runBackground();
  world.audit.length = 0;
  world.workflows.length = 0;
  return { world, app, ada, secret, recoveryCodes, pair };
}

async function challenged(app: ReturnType<typeof inMemoryApp>["app"], caller = CALLER): Promise<ChallengeTicket> {
  const outcome = await app.login(ADA, caller);
  if (!("challenge" in outcome)) throw new Error("no second step was asked for");
  return outcome.challenge;
}

test("with a confirmed authenticator, a right password answers a challenge and no tokens; its code completes the sign-in", async () => {
  const { world, app, secret } = await withTotp();
  world.time.now = seconds(60);
  const challenge = await challenged(app);
  expect(challenge.kinds).toEqual(["totp", "recovery_code"]);
  expect(challenge.expireTime).toEqual(seconds(60 + 300));
  expect(world.audit.map((a) => a.type)).toEqual([]);
  const pair = await app.completeLogin(
    { challengeId: challenge.id, answer: { kind: "totp", code: totpCodeAt(secret, seconds(60)) } },
    CALLER,
  );
  // The access token carries what was proved (the fake's token shows it).
  expect(pair.accessToken).toMatch(/\.pwd\+otp\+mfa$/);
  expect(world.audit.map((a) => [a.type, a.detail?.amr])).toEqual([["login_succeeded", "pwd otp mfa"]]);
});

test("an enrolment never confirmed asks for nothing at sign-in", async () => {
  const { world, app } = inMemoryApp();
  world.addUser(ADA);
  const pair = await signIn(app, ADA, CALLER);
  await app.startTotpEnrollment(pair.accessToken);
  await expect(signIn(app, ADA, CALLER)).resolves.toHaveProperty("accessToken");
});

test("the window: the codes of the step before and after now work, two steps away do not", async () => {
  const { world, app, secret } = await withTotp();
  const now = seconds(600);
  world.time.now = now;
  for (const offset of [-61, 61]) {
    const err = await refusal(
      app.completeLogin(
        {
          challengeId: (await challenged(app)).id,
          answer: { kind: "totp", code: totpCodeAt(secret, new Date(now.getTime() + offset * 1000)) },
        },
        CALLER,
      ),
    );
    expect([err.kind, err.reason]).toEqual(["unauthenticated", "INVALID_FACTOR"]);
  }
  for (const offset of [-30, 30]) {
    const code = totpCodeAt(secret, new Date(now.getTime() + offset * 1000));
    await expect(
      app.completeLogin({ challengeId: (await challenged(app)).id, answer: { kind: "totp", code } }, CALLER),
    ).resolves.toHaveProperty("refreshToken");
  }
});

test("a code works once: the same code again, or an older one after a newer, is refused", async () => {
  const { world, app, secret } = await withTotp();
  world.time.now = seconds(300);
  const code = totpCodeAt(secret, seconds(300));
  await app.completeLogin({ challengeId: (await challenged(app)).id, answer: { kind: "totp", code } }, CALLER);
  const again = await refusal(
    app.completeLogin({ challengeId: (await challenged(app, ELSEWHERE)).id, answer: { kind: "totp", code } }, ELSEWHERE),
  );
  expect(again.reason).toBe("INVALID_FACTOR");
  const older = await refusal(
    app.completeLogin(
      { challengeId: (await challenged(app)).id, answer: { kind: "totp", code: totpCodeAt(secret, seconds(270)) } },
      CALLER,
    ),
  );
  expect(older.reason).toBe("INVALID_FACTOR");
  expect(world.audit.filter((a) => a.type === "mfa_failed").map((a) => a.detail)).toEqual([{ factor: "totp" }, { factor: "totp" }]);
});

test("a challenge takes five wrong codes, then ends; a right code is refused on it too", async () => {
  const { world, app, secret } = await withTotp();
  world.time.now = seconds(120);
  const { id } = await challenged(app);
  for (let i = 0; i < 5; i++)
    expect((await refusal(app.completeLogin({ challengeId: id, answer: { kind: "totp", code: "000000" } }, CALLER))).reason).toBe(
      "INVALID_FACTOR",
    );
  const ended = await refusal(
    app.completeLogin({ challengeId: id, answer: { kind: "totp", code: totpCodeAt(secret, seconds(120)) } }, CALLER),
  );
  expect([ended.kind, ended.reason]).toEqual(["failedPrecondition", "CHALLENGE_EXPIRED"]);
});

test("wrong codes are counted for the account across challenges: the limit refuses even the right code", async () => {
  const { world, app, secret } = await withTotp();
  world.time.now = seconds(120);
  for (let i = 0; i < FACTOR_GUESSES_ALLOWED; i++)
    await refusal(app.completeLogin({ challengeId: (await challenged(app)).id, answer: { kind: "totp", code: "000000" } }, CALLER));
  const limited = await refusal(
    app.completeLogin(
      { challengeId: (await challenged(app)).id, answer: { kind: "totp", code: totpCodeAt(secret, seconds(120)) } },
      CALLER,
    ),
  );
  expect(limited.kind).toBe("resourceExhausted");
});

test("a challenge expires after five minutes, and an unknown or malformed one is refused", async () => {
  const { world, app, secret } = await withTotp();
  world.time.now = seconds(60);
  const { id } = await challenged(app);
  world.time.now = seconds(60 + 301);
  const code = totpCodeAt(secret, world.time.now);
  expect((await refusal(app.completeLogin({ challengeId: id, answer: { kind: "totp", code } }, CALLER))).reason).toBe("CHALLENGE_EXPIRED");
  expect((await refusal(app.completeLogin({ challengeId: "A".repeat(43), answer: { kind: "totp", code } }, CALLER))).reason).toBe(
    "CHALLENGE_EXPIRED",
  );
  expect((await refusal(app.completeLogin({ challengeId: "nope", answer: { kind: "totp", code } }, CALLER))).field).toBe("challenge_id");
  expect((await refusal(app.completeLogin({ challengeId: id, answer: { kind: "totp", code: "12345" } }, CALLER))).field).toBe("totp_code");
  expect((await refusal(app.completeLogin({ challengeId: id, answer: undefined }, CALLER))).field).toBe("factor");
});

test("a recovery code works once, ends every other session, and mails a notice", async () => {
  const { world, app, ada, recoveryCodes, pair } = await withTotp();
  expect(recoveryCodes).toHaveLength(10);
  const code = recoveryCodes[3]!;
  const signedIn = await app.completeLogin(
    { challengeId: (await challenged(app)).id, answer: { kind: "recovery_code", code: code.toLowerCase() } },
    CALLER,
  );
  expect(signedIn.accessToken).toMatch(/\.pwd\+otp\+mfa$/);
  expect((await refusal(app.refresh(pair, CALLER))).reason).toBe("REFRESH_TOKEN_INVALID");
  await expect(app.refresh(signedIn as { refreshToken: string }, CALLER)).resolves.toHaveProperty("accessToken");
  expect(world.audit.map((a) => a.type)).toEqual(["recovery_code_used", "login_succeeded"]);
  await world.runBackground();
  expect(world.workflows).toEqual([`securityNotice recovery_code_used ${ada.id}`]);
  const again = await refusal(
    app.completeLogin({ challengeId: (await challenged(app)).id, answer: { kind: "recovery_code", code } }, CALLER),
  );
  expect(again.reason).toBe("INVALID_FACTOR");
  expect((await app.listFactors(signedIn.accessToken)).recoveryCodesLeft).toBe(9);
});

test("a sensitive change needs a fresh factor: stale after ten minutes, fresh again after a step-up", async () => {
  const { world, app, secret, pair } = await withTotp();
  // Confirming the enrolment proved the factor: fresh at T0.
  world.time.now = seconds(9 * 60);
  await expect(app.regenerateRecoveryCodes(pair.accessToken, CALLER)).resolves.toHaveProperty("recoveryCodes");
  world.time.now = seconds(11 * 60);
  const stale = await refusal(
    app.changePassword(pair.accessToken, { currentPassword: ADA.password, newPassword: "a new horse battery" }, CALLER),
  );
  expect([stale.kind, stale.reason]).toEqual(["failedPrecondition", "STEP_UP_REQUIRED"]);
  const [factor] = (await app.listFactors(pair.accessToken)).factors;
  expect((await refusal(app.removeFactor(pair.accessToken, { factorId: factor!.id }, CALLER))).reason).toBe("STEP_UP_REQUIRED");

  const stepUp = await app.startStepUp(pair.accessToken);
  expect(stepUp.kinds).toEqual(["totp"]);
  const fresh = await app.completeLogin(
    { challengeId: stepUp.id, answer: { kind: "totp", code: totpCodeAt(secret, seconds(11 * 60)) } },
    CALLER,
  );
  expect(fresh).not.toHaveProperty("refreshToken");
  expect(world.audit.at(-1)).toMatchObject({ type: "stepped_up" });
  await expect(
    app.changePassword(pair.accessToken, { currentPassword: ADA.password, newPassword: "a new horse battery" }, CALLER),
  ).resolves.toBeUndefined();
});

test("a password reset by email leaves the second factor in place", async () => {
  const { world, app } = await withTotp();
  const ada = [...world.users.values()][0]!;
  await app.sendEmailCode({ userId: ada.id, purpose: "reset_password", reminder: false });
  const code = /code: ([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(world.mail.at(-1)?.text ?? "")![1]!;
  await app.resetPassword({ email: ada.email, code, newPassword: "a new horse battery" }, ELSEWHERE);
  const outcome = await app.login({ email: ada.email, password: "a new horse battery" }, ELSEWHERE);
  expect(outcome).toHaveProperty("challenge");
});
