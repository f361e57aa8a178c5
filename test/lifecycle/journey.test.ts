import { ConnectError } from "@connectrpc/connect";
import { Client as TemporalClient, Connection } from "@temporalio/client";
import { encryptedDataConverter } from "@flowshield/common/temporal/payload-codec";
import { findUserByEmail } from "@flowshield/auth/db";
import { RetryInfoSchema } from "@flowshield/gen/google/rpc/error_details_pb";
import { emailVerificationWorkflowId } from "@flowshield/contracts/email-verification";
import { GOOD_PASSWORD, testEnv, uniqueEmail, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { codeIn } from "../support/mail-server";
import { useFullStack } from "../support/stack";

// The account journey over real HTTP/2 (gRPC and Connect JSON), with the real saga, the real
// verification workflow, and every code read from the mail the worker sent over SMTP.

jest.setTimeout(90_000);

const GRACE_MS = 2_000;
const stack = useFullStack({ requireVerifiedEmail: true, refreshReuseGraceMs: GRACE_MS });

let temporal: TemporalClient;
let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: testEnv.temporalAddress() });
  temporal = new TemporalClient({ connection, dataConverter: encryptedDataConverter(testEnv.payloadKeys()) });
});
afterAll(async () => {
  await connection?.close();
});

async function registered(): Promise<{ email: string; userId: string; code: string }> {
  const email = uniqueEmail();
  const res = await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Journey" });
  const mail = await stack().mail.waitForMail(email, /^Verify your FlowShield email$/);
  return { email, userId: res.user!.id, code: codeIn(mail) };
}

async function verifiedAndSignedIn() {
  const account = await registered();
  await stack().authGrpc.verifyEmail({ email: account.email, code: account.code });
  const tokens = await stack().authGrpc.login({ email: account.email, password: GOOD_PASSWORD });
  return { ...account, tokens };
}

const bearer = (accessToken: string) => ({ headers: { authorization: `Bearer ${accessToken}` } });

describe("email verification", () => {
  test("register, mail, verify, sign in: the unverified account is refused only once its password matched", async () => {
    const { email, userId, code } = await registered();
    expect(await outcomeOf(stack().authJson.login({ email, password: GOOD_PASSWORD }))).toMatchObject({ code: Code.FailedPrecondition });
    // A wrong password says nothing about verification.
    expect(await outcomeOf(stack().authJson.login({ email, password: "not the password" }))).toMatchObject({ code: Code.Unauthenticated });

    expect(await outcomeOf(stack().authJson.verifyEmail({ email, code: "0000000000" }))).toEqual({
      code: Code.InvalidArgument,
      message: "code: wrong, used or expired code",
    });
    // Typed as read from the mail, in lower case, with its dash: accepted.
    await stack().authJson.verifyEmail({ email, code: code.toLowerCase() });
    expect(await outcomeOf(stack().authJson.verifyEmail({ email, code }))).toMatchObject({ code: Code.InvalidArgument });

    const user = await findUserByEmail(stack().auth.db, email);
    expect(user?.email_verified).toBe(true);
    expect((await stack().userAdmin.getUser({ id: userId })).user?.emailVerified).toBe(true);
    // The signal ended the verification workflow, verified.
    expect(await temporal.workflow.getHandle(emailVerificationWorkflowId(userId)).result()).toBe("verified");

    const tokens = await stack().authJson.login({ email, password: GOOD_PASSWORD });
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Number(tokens.refreshExpiresIn)).toBeGreaterThan(6 * 86_400);
  });

  test("a resent code leaves the first one working; using either ends the other", async () => {
    const { email, code: first } = await registered();
    await stack().authGrpc.resendVerificationEmail({ email });
    const second = codeIn(await stack().mail.waitForMail(email, /^Verify your FlowShield email$/, { skip: 1 }));
    expect(second).not.toBe(first);
    await stack().authGrpc.verifyEmail({ email, code: first });
    expect(await outcomeOf(stack().authGrpc.verifyEmail({ email, code: second }))).toMatchObject({ code: Code.InvalidArgument });
  });

  test("five wrong guesses from one address: the sixth is refused there, even the right code, with a retry-after", async () => {
    const { email, userId, code } = await registered();
    for (let i = 0; i < 5; i++) {
      expect(await outcomeOf(stack().authGrpc.verifyEmail({ email, code: `WRONG${i}0000` }))).toMatchObject({ code: Code.InvalidArgument });
    }
    const refused = await stack()
      .authJson.verifyEmail({ email, code })
      .catch((err: unknown) => ConnectError.from(err));
    expect((refused as ConnectError).code).toBe(Code.ResourceExhausted);
    expect(Number((refused as ConnectError).metadata.get("retry-after"))).toBeGreaterThan(0);
    // The code itself lives on (test/attacks/codes.test.ts: the owner uses it from elsewhere).
    const live = await stack()
      .auth.db.selectFrom("email_codes")
      .select("code_hash")
      .where("user_id", "=", userId)
      .where("consume_time", "is", null)
      .execute();
    expect(live).toHaveLength(1);
  });

  test("an expired code is refused like a wrong one, and a fresh one works", async () => {
    const { email, userId, code } = await registered();
    await stack()
      .auth.db.updateTable("email_codes")
      .set({ expire_time: new Date(Date.now() - 1_000) })
      .where("user_id", "=", userId)
      .execute();
    expect(await outcomeOf(stack().authGrpc.verifyEmail({ email, code }))).toEqual({
      code: Code.InvalidArgument,
      message: "code: wrong, used or expired code",
    });
    await stack().authGrpc.resendVerificationEmail({ email });
    const fresh = codeIn(await stack().mail.waitForMail(email, /^Verify your FlowShield email$/, { skip: 1 }));
    await stack().authGrpc.verifyEmail({ email, code: fresh });
  });

  test("resend and verify never reveal whether an email has an account", async () => {
    const nobody = uniqueEmail();
    expect(await outcomeOf(stack().authGrpc.resendVerificationEmail({ email: nobody }))).toEqual({ code: "ok" });
    expect(await outcomeOf(stack().authGrpc.verifyEmail({ email: nobody, code: "ABCDE-FGHJK" }))).toEqual({
      code: Code.InvalidArgument,
      message: "code: wrong, used or expired code",
    });
  });

  test("resends are rate-limited per email and address, with a retry-after", async () => {
    const email = uniqueEmail();
    for (let i = 0; i < 5; i++) await stack().authJson.resendVerificationEmail({ email });
    const refused = await stack()
      .authJson.resendVerificationEmail({ email })
      .catch((err: unknown) => ConnectError.from(err));
    expect(refused).toBeInstanceOf(ConnectError);
    const err = refused as ConnectError;
    expect(err.code).toBe(Code.ResourceExhausted);
    expect(Number(err.metadata.get("retry-after"))).toBeGreaterThan(0);
    expect(err.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds).toBeGreaterThan(0n);
  });
});

describe("sessions", () => {
  test("refresh rotates; logout ends the session; ListSessions shows it until then", async () => {
    const { tokens } = await verifiedAndSignedIn();
    const next = await stack().authJson.refreshToken({ refreshToken: tokens.refreshToken });
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect(next.accessToken).not.toBe(tokens.accessToken);

    const { sessions } = await stack().authJson.listSessions({}, bearer(next.accessToken));
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ current: true, ip: "127.0.0.1" });
    expect(sessions[0]?.userAgent).not.toBe("");

    await stack().authJson.logout({ refreshToken: next.refreshToken });
    await stack().authJson.logout({ refreshToken: next.refreshToken });
    expect(await outcomeOf(stack().authJson.refreshToken({ refreshToken: next.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
    });
    expect(await outcomeOf(stack().authJson.listSessions({}, bearer(next.accessToken)))).toMatchObject({ code: Code.Unauthenticated });
  });

  test("twenty concurrent refreshes with one token yield exactly one successor, and the session lives on", async () => {
    const { tokens } = await verifiedAndSignedIn();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => stack().authGrpc.refreshToken({ refreshToken: tokens.refreshToken })),
    );
    const successors = new Set(answers.map((a) => a.refreshToken));
    expect(successors.size).toBe(1);
    const rows = await stack()
      .auth.db.selectFrom("refresh_tokens")
      .innerJoin("sessions", "sessions.id", "refresh_tokens.session_id")
      .select(["refresh_tokens.token_hash", "sessions.revoke_time"])
      .where("sessions.user_id", "=", subjectOf(answers[0]!.accessToken))
      .execute();
    // The first token and its one successor, in a live session.
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.revoke_time === null)).toBe(true);
    const after = await stack().authGrpc.refreshToken({ refreshToken: [...successors][0]! });
    expect(after.refreshToken).not.toBe(tokens.refreshToken);
  });

  test("a consumed token used after the grace window revokes the session, and the event is audited", async () => {
    const { tokens, userId } = await verifiedAndSignedIn();
    const next = await stack().authGrpc.refreshToken({ refreshToken: tokens.refreshToken });
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 200));
    expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: tokens.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
    });
    // The whole session ended: the legitimate successor is dead too.
    expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: next.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
    });
    const { events } = await stack().userAdmin.listAuditEvents({ userId, type: "refresh_reused" });
    expect(events).toHaveLength(1);
  });

  test("RevokeSession ends another session of the caller; someone else's session is NOT_FOUND", async () => {
    const { email, tokens } = await verifiedAndSignedIn();
    const other = await stack().authGrpc.login({ email, password: GOOD_PASSWORD });
    const { sessions } = await stack().authGrpc.listSessions({}, bearer(tokens.accessToken));
    expect(sessions).toHaveLength(2);
    const otherSession = sessions.find((s) => !s.current)!;
    const stranger = await verifiedAndSignedIn();
    expect(
      await outcomeOf(stack().authGrpc.revokeSession({ sessionId: otherSession.id }, bearer(stranger.tokens.accessToken))),
    ).toMatchObject({
      code: Code.NotFound,
    });
    await stack().authGrpc.revokeSession({ sessionId: otherSession.id }, bearer(tokens.accessToken));
    expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: other.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
    });
    expect((await stack().authGrpc.listSessions({}, bearer(tokens.accessToken))).sessions).toHaveLength(1);
  });

  test("a session unused for the idle limit, or past its end, refreshes no more", async () => {
    const idle = await verifiedAndSignedIn();
    const ended = await verifiedAndSignedIn();
    const day = 86_400_000;
    const sessionOf = (token: string) => stack().auth.db.updateTable("sessions").where("user_id", "=", subjectOf(token));
    await sessionOf(idle.tokens.accessToken)
      .set({ last_use_time: new Date(Date.now() - 7 * day - 1_000) })
      .execute();
    await sessionOf(ended.tokens.accessToken)
      .set({ expire_time: new Date(Date.now() - 1_000) })
      .execute();
    for (const { tokens } of [idle, ended]) {
      expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: tokens.refreshToken }))).toMatchObject({
        code: Code.Unauthenticated,
      });
      expect(await outcomeOf(stack().authGrpc.listSessions({}, bearer(tokens.accessToken)))).toMatchObject({ code: Code.Unauthenticated });
    }
  });

  test("bearer-token methods refuse a missing or forged token", async () => {
    expect(await outcomeOf(stack().authGrpc.listSessions({}))).toMatchObject({ code: Code.Unauthenticated });
    expect(await outcomeOf(stack().authGrpc.listSessions({}, bearer("a.b.c")))).toMatchObject({ code: Code.Unauthenticated });
    expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: "short" }))).toMatchObject({ code: Code.InvalidArgument });
  });
});

describe("passwords", () => {
  test("reset: the mailed code sets a new password, ends every session, and a notice follows", async () => {
    const { email, tokens } = await verifiedAndSignedIn();
    await stack().authJson.requestPasswordReset({ email });
    const code = codeIn(await stack().mail.waitForMail(email, /password reset code/));
    const newPassword = `new ${GOOD_PASSWORD}`;
    expect(await outcomeOf(stack().authJson.resetPassword({ email, code, newPassword: "password" }))).toMatchObject({
      code: Code.InvalidArgument,
      message: "new_password: is too common; choose another",
    });
    await stack().authJson.resetPassword({ email, code, newPassword });
    expect(await outcomeOf(stack().authJson.resetPassword({ email, code, newPassword }))).toMatchObject({ code: Code.InvalidArgument });
    expect(await outcomeOf(stack().authJson.refreshToken({ refreshToken: tokens.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
    });
    expect(await outcomeOf(stack().authJson.login({ email, password: GOOD_PASSWORD }))).toMatchObject({ code: Code.Unauthenticated });
    await stack().authJson.login({ email, password: newPassword });
    await stack().mail.waitForMail(email, /password was changed/);
  });

  test("an expired reset code is refused, and the password stays", async () => {
    const { email, userId } = await verifiedAndSignedIn();
    await stack().authJson.requestPasswordReset({ email });
    const code = codeIn(await stack().mail.waitForMail(email, /password reset code/));
    await stack()
      .auth.db.updateTable("email_codes")
      .set({ expire_time: new Date(Date.now() - 1_000) })
      .where("user_id", "=", userId)
      .execute();
    expect(await outcomeOf(stack().authJson.resetPassword({ email, code, newPassword: `late ${GOOD_PASSWORD}` }))).toMatchObject({
      code: Code.InvalidArgument,
    });
    await stack().authJson.login({ email, password: GOOD_PASSWORD });
  });

  test("a reset request for an unknown email answers OK and mails nothing", async () => {
    const nobody = uniqueEmail();
    expect(await outcomeOf(stack().authJson.requestPasswordReset({ email: nobody }))).toEqual({ code: "ok" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stack().mail.received.filter((m) => m.to === nobody)).toEqual([]);
  });

  test("change: needs the current password, ends the other sessions and keeps the caller's", async () => {
    const { email, tokens } = await verifiedAndSignedIn();
    const other = await stack().authGrpc.login({ email, password: GOOD_PASSWORD });
    const newPassword = `changed ${GOOD_PASSWORD}`;
    expect(
      await outcomeOf(stack().authGrpc.changePassword({ currentPassword: "not it at all", newPassword }, bearer(tokens.accessToken))),
    ).toMatchObject({ code: Code.Unauthenticated });
    await stack().authGrpc.changePassword({ currentPassword: GOOD_PASSWORD, newPassword }, bearer(tokens.accessToken));
    expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: other.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
    });
    await stack().authGrpc.refreshToken({ refreshToken: tokens.refreshToken });
    await stack().authGrpc.login({ email, password: newPassword });
    await stack().mail.waitForMail(email, /password was changed/);
  });
});

function subjectOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split(".")[1] ?? "", "base64url").toString()) as { sub: string };
  return payload.sub;
}
