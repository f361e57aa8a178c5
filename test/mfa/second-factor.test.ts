import { decodeJwt } from "jose";
import { FactorType } from "@flowshield/gen/flowshield/auth/v1/factor_pb";
import { enrolTotp } from "../support/second-factor";
import { Code, outcomeOf } from "../support/codes";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { GOOD_PASSWORD, SERVICE_CREDENTIAL } from "../support/env";
import { codeIn } from "../support/mail-server";
import { useFullStack } from "../support/stack";
import { createActiveUser } from "../support/users";

// Two-step sign-in over real HTTP/2 (gRPC and Connect JSON), on Postgres, with the notices mailed
// by the worker's workflow over SMTP. The rules' edges (the window, the clock) are in
// services/auth/src/mfa/app/*.test.ts; the attacks in test/attacks/second-factor.test.ts.

jest.setTimeout(120_000);

const stack = useFullStack();
const bearer = (accessToken: string) => ({ headers: { authorization: `Bearer ${accessToken}` } });

// An active account signed in with its password, with an authenticator app enrolled.
async function enrolled() {
  const user = await createActiveUser(stack().auth.internalUrl);
  const { session: first, started, confirmed, app } = await enrolTotp(stack().authGrpc, user.email);
  return { user, first, started, app, confirmed };
}

test("enrol an authenticator app, then sign in with it: a challenge instead of tokens, and tokens that say two factors", async () => {
  const { user, first, started, confirmed, app } = await enrolled();
  expect(started.otpauthUri).toBe(
    `otpauth://totp/FlowShield:${encodeURIComponent(user.email)}?issuer=FlowShield&secret=${started.secret}&algorithm=SHA1&digits=6&period=30`,
  );
  expect(confirmed.factor).toMatchObject({ type: FactorType.TOTP, name: "Authenticator app" });
  expect(confirmed.recoveryCodes).toHaveLength(10);
  const notice = await stack().mail.waitForMail(user.email, /second factor was added/);
  expect(notice.text).toContain("other sessions were ended");
  expect(notice.text).not.toContain(started.secret);

  const login = await stack().authJson.login({ email: user.email, password: GOOD_PASSWORD });
  expect(login.accessToken).toBe("");
  expect(login.refreshToken).toBe("");
  expect(login.mfaChallenge?.factors).toEqual([FactorType.TOTP, FactorType.RECOVERY_CODE]);
  const done = await stack().authJson.completeLogin({
    challengeId: login.mfaChallenge!.id,
    factor: { case: "totpCode", value: await app.code() },
  });
  expect(decodeJwt(done.accessToken)).toMatchObject({ sub: user.id, amr: ["pwd", "otp", "mfa"], acr: "aal2" });
  expect(decodeJwt(first.accessToken)).toMatchObject({ amr: ["pwd"], acr: "aal1" });
  await expect(stack().authGrpc.refreshToken({ refreshToken: done.refreshToken })).resolves.toHaveProperty("accessToken");

  const { factors, recoveryCodesLeft } = await stack().authGrpc.listFactors({}, bearer(done.accessToken));
  expect(factors.map((f) => [f.type, f.id])).toEqual([[FactorType.TOTP, confirmed.factor!.id]]);
  expect(factors[0]!.lastUseTime).toBeDefined();
  expect(recoveryCodesLeft).toBe(10);

  const { events } = await stack().userAdmin.listAuditEvents({ userId: user.id });
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["mfa_enrolled", "login_succeeded"]));
  for (const e of events) expect(e.detail).not.toContain(started.secret);
});

test("a wrong code is UNAUTHENTICATED and audited; a used challenge is FAILED_PRECONDITION; bad input is INVALID_ARGUMENT", async () => {
  const { user, app } = await enrolled();
  const { mfaChallenge } = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  const id = mfaChallenge!.id;
  expect(
    await outcomeOf(stack().authGrpc.completeLogin({ challengeId: id, factor: { case: "totpCode", value: app.stale() } })),
  ).toMatchObject({
    code: Code.Unauthenticated,
  });
  expect(await outcomeOf(stack().authGrpc.completeLogin({ challengeId: id, factor: { case: "totpCode", value: "12 34" } }))).toMatchObject({
    code: Code.InvalidArgument,
    message: "totp_code: must be the 6 digits your app shows",
  });
  expect(await outcomeOf(stack().authGrpc.completeLogin({ challengeId: id, factor: { case: undefined } }))).toMatchObject({
    code: Code.InvalidArgument,
  });
  await stack().authGrpc.completeLogin({ challengeId: id, factor: { case: "totpCode", value: await app.code() } });
  // Answered: the challenge is spent, whatever the code.
  expect(
    await outcomeOf(stack().authGrpc.completeLogin({ challengeId: id, factor: { case: "totpCode", value: app.stale() } })),
  ).toMatchObject({
    code: Code.FailedPrecondition,
  });
  const { events } = await stack().userAdmin.listAuditEvents({ userId: user.id, type: "mfa_failed" });
  expect(events.map((e) => JSON.parse(e.detail))).toEqual([{ factor: "totp" }]);
});

test("a recovery code signs in once, ends every other session, and mails a notice", async () => {
  const { user, confirmed } = await enrolled();
  const before = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  const code = confirmed.recoveryCodes[0]!;
  const done = await stack().authGrpc.completeLogin({
    challengeId: before.mfaChallenge!.id,
    factor: { case: "recoveryCode", value: code },
  });
  expect(decodeJwt(done.accessToken)).toMatchObject({ amr: ["pwd", "otp", "mfa"] });
  await stack().mail.waitForMail(user.email, /recovery code was used/);
  const again = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  expect(
    await outcomeOf(stack().authGrpc.completeLogin({ challengeId: again.mfaChallenge!.id, factor: { case: "recoveryCode", value: code } })),
  ).toMatchObject({
    code: Code.Unauthenticated,
  });
  expect((await stack().authGrpc.listFactors({}, bearer(done.accessToken))).recoveryCodesLeft).toBe(9);
});

test("removing the factor (fresh from sign-in) turns the second step off, ends other sessions, and mails a notice", async () => {
  const { user, app, confirmed } = await enrolled();
  const login = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  const here = await stack().authGrpc.completeLogin({
    challengeId: login.mfaChallenge!.id,
    factor: { case: "totpCode", value: await app.code() },
  });
  const otherLogin = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  const other = await stack().authGrpc.completeLogin({
    challengeId: otherLogin.mfaChallenge!.id,
    factor: { case: "recoveryCode", value: confirmed.recoveryCodes[1]! },
  });
  // The recovery code ended `here`: sign in here again (another recovery code ends `other`).
  const again = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  const fresh = await stack().authGrpc.completeLogin({
    challengeId: again.mfaChallenge!.id,
    factor: { case: "recoveryCode", value: confirmed.recoveryCodes[2]! },
  });
  expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: here.refreshToken }))).toMatchObject({ code: Code.Unauthenticated });

  await stack().authGrpc.removeFactor({ factorId: confirmed.factor!.id }, bearer(fresh.accessToken));
  await stack().mail.waitForMail(user.email, /second factor was removed/);
  expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: other.refreshToken }))).toMatchObject({
    code: Code.Unauthenticated,
  });
  await expect(stack().authGrpc.refreshToken({ refreshToken: fresh.refreshToken })).resolves.toHaveProperty("accessToken");
  const plain = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  expect(plain.mfaChallenge).toBeUndefined();
  expect(decodeJwt(plain.accessToken)).toMatchObject({ amr: ["pwd"], acr: "aal1" });
  expect(await stack().authGrpc.listFactors({}, bearer(plain.accessToken))).toMatchObject({ factors: [], recoveryCodesLeft: 0 });
  expect(await outcomeOf(stack().authGrpc.removeFactor({ factorId: confirmed.factor!.id }, bearer(plain.accessToken)))).toMatchObject({
    code: Code.NotFound,
  });
});

test("a password reset by email leaves the second factor in place", async () => {
  const { user } = await enrolled();
  await stack().authGrpc.requestPasswordReset({ email: user.email });
  const mail = await stack().mail.waitForMail(user.email, /password reset code/);
  await stack().authGrpc.resetPassword({ email: user.email, code: codeIn(mail), newPassword: "a brand new horse battery" });
  const login = await stack().authGrpc.login({ email: user.email, password: "a brand new horse battery" });
  expect(login.accessToken).toBe("");
  expect(login.mfaChallenge?.factors).toContain(FactorType.TOTP);
});

test("new recovery codes replace the old ones; without a factor there are none to make", async () => {
  const { first, confirmed } = await enrolled();
  // The session that confirmed the enrolment proved the factor: fresh.
  const { recoveryCodes } = await stack().authGrpc.regenerateRecoveryCodes({}, bearer(first.accessToken));
  expect(recoveryCodes).toHaveLength(10);
  expect(recoveryCodes.filter((c) => confirmed.recoveryCodes.includes(c))).toEqual([]);
  const loner = await createActiveUser(stack().auth.internalUrl);
  const tokens = await stack().authGrpc.login({ email: loner.email, password: GOOD_PASSWORD });
  expect(await outcomeOf(stack().authGrpc.regenerateRecoveryCodes({}, bearer(tokens.accessToken)))).toMatchObject({
    code: Code.FailedPrecondition,
  });
  expect(await outcomeOf(stack().authGrpc.startStepUp({}, bearer(tokens.accessToken)))).toMatchObject({ code: Code.FailedPrecondition });
  // Without a factor, nothing sensitive asks for one.
  await stack().authGrpc.changePassword(
    { currentPassword: GOOD_PASSWORD, newPassword: "another new horse battery" },
    bearer(tokens.accessToken),
  );
});

test("a step-up answers a fresh access token for the same session, its refresh token unchanged", async () => {
  const { user, app, first } = await enrolled();
  const { mfaChallenge } = await stack().authGrpc.startStepUp({}, bearer(first.accessToken));
  expect(mfaChallenge?.factors).toEqual([FactorType.TOTP]);
  const stepped = await stack().authGrpc.completeLogin({
    challengeId: mfaChallenge!.id,
    factor: { case: "totpCode", value: await app.code() },
  });
  expect(stepped.refreshToken).toBe("");
  expect(decodeJwt(stepped.accessToken)).toMatchObject({ sid: decodeJwt(first.accessToken).sid, amr: ["pwd", "otp", "mfa"] });
  await expect(stack().authGrpc.refreshToken({ refreshToken: first.refreshToken })).resolves.toHaveProperty("accessToken");
  const { events } = await stack().userAdmin.listAuditEvents({ userId: user.id, type: "stepped_up" });
  expect(events).toHaveLength(1);
});

test("lost every factor: an operator's reset (audited, mailed) ends all access and the account signs in with its password again; a worker's credential may not", async () => {
  const { user, confirmed } = await enrolled();
  const worker = createInternalClient(UserAdminService, stack().auth.internalUrl, SERVICE_CREDENTIAL);
  expect(await outcomeOf(worker.resetFactors({ userId: user.id }))).toMatchObject({ code: Code.PermissionDenied });
  const before = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  const session = await stack().authGrpc.completeLogin({
    challengeId: before.mfaChallenge!.id,
    factor: { case: "recoveryCode", value: confirmed.recoveryCodes[0]! },
  });
  expect(await stack().userAdmin.resetFactors({ userId: user.id })).toMatchObject({ removed: 1 });
  await stack().mail.waitForMail(user.email, /second factors were reset/);
  expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: session.refreshToken }))).toMatchObject({
    code: Code.Unauthenticated,
  });
  const plain = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  expect(plain.mfaChallenge).toBeUndefined();
  const { events } = await stack().userAdmin.listAuditEvents({ userId: user.id, type: "mfa_reset" });
  expect(events).toHaveLength(1);
});

test("eight accounts sign in with their codes at once: each spends its own code, and only its own", async () => {
  const accounts = [];
  for (let i = 0; i < 8; i++) accounts.push(await enrolled());
  const challenges = await Promise.all(accounts.map(({ user }) => stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD })));
  const codes = await Promise.all(accounts.map(({ app }) => app.code()));
  const outcomes = await Promise.all(
    challenges.map((c, i) =>
      outcomeOf(stack().authGrpc.completeLogin({ challengeId: c.mfaChallenge!.id, factor: { case: "totpCode", value: codes[i]! } })),
    ),
  );
  expect(outcomes).toEqual(Array(8).fill({ code: "ok" }));
});
