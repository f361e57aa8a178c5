import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { Code } from "../support/codes";
import { codeIn } from "../support/mail-server";
import { mannWhitneyP } from "../support/statistics";
import { quietLog, testAuthConfig, useFullStack } from "../support/stack";
import { freshIpv4, freshIpv6Prefix, from, outcome, tally } from "./attacker";

// A stranger who knows the victim's email: guessing the victim's code from many addresses, asking
// for codes and spending the victim's quotas, and telling known emails from unknown ones by the
// answer or its time. On the main of 2026-12-05 five wrong guesses by anyone killed the owner's code
// (TOO_MANY_CODE_ATTEMPTS), the fifth guess answered differently for a known email, a resend by
// anyone voided the owner's code, and anyone could use up the owner's resend and reset quotas.

jest.setTimeout(180_000);

const stack = useFullStack();

let auth: RunningAuthService;
beforeAll(async () => {
  // Behind a proxy on loopback: each caller appears at the address it names.
  auth = await startAuthService(testAuthConfig({ taskQueue: stack().taskQueue, trustedProxies: "127.0.0.1, ::1" }), quietLog);
});
afterAll(async () => {
  await auth?.close();
});

const api = () => createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
const VERIFY_MAIL = /^Verify your FlowShield email$/;

// An owner who registered from `home` and holds the code the mail brought.
async function owner() {
  const email = uniqueEmail();
  const home = freshIpv4();
  const { user } = await api().register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Owner" }, from(home));
  return { email, home, userId: user!.id, code: codeIn(await stack().mail.waitForMail(email, VERIFY_MAIL)) };
}

test("a stranger's wrong guesses from many addresses neither kill the owner's code nor lock the owner out", async () => {
  const victim = await owner();
  const addresses = Array.from({ length: 20 }, () => freshIpv4());
  const guesses = await Promise.all(
    addresses.flatMap((ip, a) =>
      Array.from({ length: 6 }, (_, i) => outcome(api().verifyEmail({ email: victim.email, code: `WRONG${a % 10}${i}000` }, from(ip)))),
    ),
  );
  // Each address got at most five guesses; all of them together at most the 50 strangers share.
  const counts = tally(guesses);
  expect(counts.InvalidArgument).toBeLessThanOrEqual(50);
  expect(counts.ResourceExhausted).toBe(guesses.length - counts.InvalidArgument!);
  expect(await outcome(api().verifyEmail({ email: victim.email, code: victim.code }, from(victim.home)))).toEqual({ code: "ok" });
  // The refusals are in the audit trail, once per limit and window, not once per refused call.
  const { events } = await stack().userAdmin.listAuditEvents({ type: "rate_limited", pageSize: 500 });
  const ours = events.filter((e) => addresses.includes(e.ip));
  expect(ours.length).toBeGreaterThanOrEqual(1);
  expect(ours.length).toBeLessThanOrEqual(addresses.length + 1);
  expect(ours.length).toBeLessThan(counts.ResourceExhausted!);
  for (const e of ours) expect(JSON.parse(e.detail)).toMatchObject({ limit: expect.stringMatching(/^code_guess_email/) });
});

test("codes asked for by a stranger do not void the owner's, and the stranger cannot flood the inbox", async () => {
  const victim = await owner();
  for (let i = 0; i < 8; i++) await api().resendVerificationEmail({ email: victim.email }, from(freshIpv4()));
  // The resends were served (a fresh code arrived)...
  await stack().mail.waitForMail(victim.email, VERIFY_MAIL, { skip: 1 });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  // ...but at most three were made: the cap on codes asked for from addresses the account does not know.
  const codes = await auth.db.selectFrom("email_codes").select("code_hash").where("user_id", "=", victim.userId).execute();
  expect(codes.length).toBeGreaterThanOrEqual(2);
  expect(codes.length).toBeLessThanOrEqual(1 + 3);
  expect(await outcome(api().verifyEmail({ email: victim.email, code: victim.code }, from(victim.home)))).toEqual({ code: "ok" });
});

test("a stranger spends their own resend and reset quotas, never the owner's", async () => {
  const victim = await owner();
  const stranger = freshIpv4();
  for (const call of [
    () => api().resendVerificationEmail({ email: victim.email }, from(stranger)),
    () => api().requestPasswordReset({ email: victim.email }, from(stranger)),
  ]) {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await outcome(call()));
    expect(tally(answers)).toEqual({ ok: 5, ResourceExhausted: 1 });
  }
  expect(await outcome(api().resendVerificationEmail({ email: victim.email }, from(victim.home)))).toEqual({ code: "ok" });
  expect(await outcome(api().requestPasswordReset({ email: victim.email }, from(victim.home)))).toEqual({ code: "ok" });
  // The owner's requests were served: a fresh verification code and a reset code arrived.
  await stack().mail.waitForMail(victim.email, /password reset code/);
});

test("a stranger rotating addresses within an IPv6 /64 has one quota, not one per address", async () => {
  const victim = await owner();
  const prefix = freshIpv6Prefix();
  const answers = [];
  for (let i = 1; i <= 6; i++)
    answers.push(await outcome(api().requestPasswordReset({ email: victim.email }, from(`${prefix}::${i.toString(16)}`))));
  expect(tally(answers)).toEqual({ ok: 5, ResourceExhausted: 1 });
});

test("a known and an unknown email get the same answers, guess after guess", async () => {
  const victim = await owner();
  const nobody = uniqueEmail();
  const answersFor = async (email: string) => {
    const ip = freshIpv4();
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await outcome(api().verifyEmail({ email, code: `WRONG${i}0000` }, from(ip))));
    for (let i = 0; i < 7; i++)
      answers.push(await outcome(api().resetPassword({ email, code: `WRONG${i}0000`, newPassword: `new ${GOOD_PASSWORD}` }, from(ip))));
    for (let i = 0; i < 6; i++) answers.push(await outcome(api().resendVerificationEmail({ email }, from(ip))));
    for (let i = 0; i < 6; i++) answers.push(await outcome(api().requestPasswordReset({ email }, from(ip))));
    // Retry delays count down differently from run to run; their presence is compared.
    return answers.map((a) => ({ ...a, ...(a.retryAfterSeconds !== undefined ? { retryAfterSeconds: 1 } : {}) }));
  };
  const known = await answersFor(victim.email);
  expect(known.map((a) => a.code)).toContain(Code.ResourceExhausted);
  expect(await answersFor(nobody)).toEqual(known);
});

// Timing: for each method, 60 calls for a known and 60 for an unknown email, interleaved (so the
// machine's load falls on both alike), each from an address of its own; the Mann-Whitney U test
// at α = 0.001 then fails one run in a thousand when the two take the same time.
test.each([
  ["VerifyEmail", (email: string, ip: string) => api().verifyEmail({ email, code: "WRONG00000" }, from(ip))],
  ["RequestPasswordReset", (email: string, ip: string) => api().requestPasswordReset({ email }, from(ip))],
] as const)("%s takes as long for a known email as for an unknown one", async (_, call) => {
  const victim = await owner();
  const times: Record<"known" | "unknown", number[]> = { known: [], unknown: [] };
  for (let i = 0; i < 70; i++) {
    for (const [kind, email] of [
      ["known", victim.email],
      ["unknown", uniqueEmail()],
    ] as const) {
      const start = performance.now();
      await outcome(call(email, freshIpv4()));
      // The first ten of each are the warm-up.
      if (i >= 10) times[kind].push(performance.now() - start);
    }
  }
  expect(mannWhitneyP(times.known, times.unknown)).toBeGreaterThan(0.001);
});
