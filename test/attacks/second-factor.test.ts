import { authenticatorApp } from "../../scripts/authenticator-app";
import { enrolTotp } from "../support/second-factor";
import { GOOD_PASSWORD } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { startAuthService } from "@flowshield/auth/server";
import { quietLog, testAuthConfig, useFullStack } from "../support/stack";
import { createActiveUser } from "../support/users";
import { attackerOf, freshIpv4, from, outcome, tally } from "./attacker";

// The second step attacked by someone who has the password (the reason it exists): concurrent
// guesses from many addresses, one code replayed at once through two challenges, a challenge
// raced, and a stranger with stolen tokens or made-up challenge ids.

jest.setTimeout(120_000);

const stack = useFullStack({ trustedProxies: "127.0.0.1, ::1" });
const bearer = (accessToken: string) => ({ headers: { authorization: `Bearer ${accessToken}` } });

async function victim() {
  const user = await createActiveUser(stack().auth.internalUrl);
  const { session: before, app } = await enrolTotp(stack().authGrpc, user.email);
  return { user, app, before };
}

// A challenge, as the attacker who has the password gets one.
async function challengeFor(email: string, ip = freshIpv4()): Promise<string> {
  const { mfaChallenge, accessToken } = await attackerOf(stack().auth.publicUrl).login({ email, password: GOOD_PASSWORD }, from(ip));
  expect(accessToken).toBe("");
  return mfaChallenge!.id;
}

test("15 concurrent wrong codes from 15 addresses: 10 are checked, the rest refused, and then the right code is refused too", async () => {
  const { user, app } = await victim();
  const attacker = attackerOf(stack().auth.publicUrl);
  // One at a time: the account's bcrypt lane admits only a few concurrent password checks.
  const challenges: string[] = [];
  for (let i = 0; i < 16; i++) challenges.push(await challengeFor(user.email));
  const guesses = await Promise.all(
    challenges
      .slice(0, 15)
      .map((challengeId, i) =>
        outcome(attacker.completeLogin({ challengeId, factor: { case: "totpCode", value: String(100000 + i) } }, from(freshIpv4()))),
      ),
  );
  expect(tally(guesses)).toEqual({ Unauthenticated: 10, ResourceExhausted: 5 });
  const right = await outcome(
    attacker.completeLogin({ challengeId: challenges[15]!, factor: { case: "totpCode", value: await app.code() } }, from(freshIpv4())),
  );
  expect(right).toMatchObject({ code: Code.ResourceExhausted, reason: "TOO_MANY_FACTOR_ATTEMPTS" });
  const { events } = await stack().userAdmin.listAuditEvents({ userId: user.id, type: "mfa_failed" });
  expect(events).toHaveLength(10);
  const limited = await stack().userAdmin.listAuditEvents({ type: "rate_limited", pageSize: 50 });
  expect(limited.events.some((e) => JSON.parse(e.detail).limit === "factor_guess")).toBe(true);
});

test("one code replayed at once through two challenges from two addresses signs in once", async () => {
  const { user, app } = await victim();
  const attacker = attackerOf(stack().auth.publicUrl);
  const [a, b] = [await challengeFor(user.email), await challengeFor(user.email)];
  const code = await app.code();
  const outcomes = await Promise.all(
    [a!, b!].map((challengeId) =>
      outcome(attacker.completeLogin({ challengeId, factor: { case: "totpCode", value: code } }, from(freshIpv4()))),
    ),
  );
  expect(tally(outcomes)).toEqual({ ok: 1, Unauthenticated: 1 });
});

test("20 concurrent answers to one challenge: one is checked at a time, and five wrong ones end it", async () => {
  const { user, app } = await victim();
  const attacker = attackerOf(stack().auth.publicUrl);
  const challengeId = await challengeFor(user.email);
  const outcomes: Awaited<ReturnType<typeof outcome>>[] = [];
  const checked = () => outcomes.filter((o) => o.code === Code.Unauthenticated).length;
  // Rounds of 20 at once until five were checked (the rest of each round lost the race for it).
  for (let round = 0; round < 10 && checked() < 5; round++) {
    outcomes.push(
      ...(await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          outcome(
            attacker.completeLogin(
              { challengeId, factor: { case: "totpCode", value: String(200000 + round * 20 + i) } },
              from(freshIpv4()),
            ),
          ),
        ),
      )),
    );
  }
  expect(outcomes.filter((o) => o.code !== Code.Unauthenticated).every((o) => o.reason === "CHALLENGE_EXPIRED")).toBe(true);
  // Never more than five wrong answers checked on one challenge, however many raced.
  expect(outcomes.filter((o) => o.code === Code.Unauthenticated)).toHaveLength(5);
  expect(await outcome(attacker.completeLogin({ challengeId, factor: { case: "totpCode", value: await app.code() } }))).toMatchObject({
    code: Code.FailedPrecondition,
    reason: "CHALLENGE_EXPIRED",
  });
});

test("a stranger: made-up challenge ids lead nowhere, the password alone gives no token, another user's token removes nothing", async () => {
  const { user, before } = await victim();
  const attacker = attackerOf(stack().auth.publicUrl);
  for (const challengeId of ["A".repeat(43), Buffer.alloc(32, 7).toString("base64url")])
    expect(await outcome(attacker.completeLogin({ challengeId, factor: { case: "totpCode", value: "123456" } }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "CHALLENGE_EXPIRED",
    });
  const stolen = await createActiveUser(stack().auth.internalUrl);
  const strangerTokens = await stack().authGrpc.login({ email: stolen.email, password: GOOD_PASSWORD });
  const withPassword = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  expect([withPassword.accessToken, withPassword.refreshToken]).toEqual(["", ""]);
  // Another user's token removes nothing of the victim's.
  const { factors } = await stack().authGrpc.listFactors({}, bearer(before.accessToken));
  expect(await outcomeOf(stack().authGrpc.removeFactor({ factorId: factors[0]!.id }, bearer(strangerTokens.accessToken)))).toMatchObject({
    code: Code.NotFound,
  });
  expect((await stack().authGrpc.listFactors({}, bearer(before.accessToken))).factors).toHaveLength(1);
});

test("a refresh token stolen before the victim enrolled a factor stops working at the enrolment", async () => {
  const user = await createActiveUser(stack().auth.internalUrl);
  const stolen = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  const own = await stack().authGrpc.login({ email: user.email, password: GOOD_PASSWORD });
  const { enrollmentId, secret } = await stack().authGrpc.startTotpEnrollment({}, bearer(own.accessToken));
  await stack().authGrpc.confirmTotpEnrollment({ enrollmentId, code: await authenticatorApp(secret).code() }, bearer(own.accessToken));
  expect(await outcomeOf(stack().authGrpc.refreshToken({ refreshToken: stolen.refreshToken }))).toMatchObject({
    code: Code.Unauthenticated,
  });
  expect(await outcomeOf(stack().authGrpc.listFactors({}, bearer(stolen.accessToken)))).toMatchObject({ code: Code.Unauthenticated });
});

test("passwordless sign-ins started from one address stop at its limit, all at once too; another address goes on", async () => {
  const limited = await startAuthService(
    testAuthConfig({ passkeyLoginsPerIp: 5, trustedProxies: "127.0.0.1, ::1", taskQueue: stack().taskQueue }),
    quietLog,
  );
  try {
    const attacker = attackerOf(limited.publicUrl);
    const one = freshIpv4();
    const burst = await Promise.all(Array.from({ length: 8 }, () => outcome(attacker.startPasskeyLogin({}, from(one)))));
    expect(tally(burst)).toEqual({ ok: 5, ResourceExhausted: 3 });
    expect(await outcome(attacker.startPasskeyLogin({}, from(freshIpv4())))).toEqual({ code: "ok" });
  } finally {
    await limited.close();
  }
});
