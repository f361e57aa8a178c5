import { BERLIN_HOME, MELBOURNE, clientAt as proxiedClient, registerAtHome } from "../support/client-at";
import { UserStatus } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import { Code, outcomeOf } from "../support/codes";
import { GOOD_PASSWORD, uniqueSuffix, uniqueUsername } from "../support/env";
import { codeIn } from "../support/mail-server";
import { scrape } from "../support/prometheus";
import { enrolTotp } from "../support/second-factor";
import { useFullStack } from "../support/stack";

// The risk engine's scenarios, played over real HTTP/2 (gRPC) against the full stack — auth with
// its packaged network databases, Postgres, the worker's saga and notices, real SMTP — through a
// trusted proxy (TRUSTED_PROXIES), which lets each client be seen at the address it names in
// X-Forwarded-For. The addresses are real networks' (GeoLite2 City and ip-location-db's ASN data,
// as pinned in package.json): a Berlin home broadband line, an Australian carrier, a data centre.
// Each decision's reasons are asserted from the audit trail, not only its outcome. The rules'
// arithmetic is in services/auth/src/risk/domain/risk.test.ts.

jest.setTimeout(180_000);

const stack = useFullStack({ riskEngine: true, trustedProxies: "127.0.0.1, ::1" });

// A client the auth service sees at `ip`, on the device `deviceId`.
const clientAt = (ip: string, deviceId: string) => proxiedClient(stack().auth.publicUrl, ip, deviceId);

interface RiskEvent {
  subject: string;
  decision: string;
  score: number;
  reasons: string[];
  policy_version: string;
}

async function riskEvents(userId: string): Promise<RiskEvent[]> {
  const { events } = await stack().userAdmin.listAuditEvents({ userId, type: "risk_assessed" });
  return events.map((e) => JSON.parse(e.detail) as RiskEvent);
}

async function decisionsCounted(subject: string, decision: string): Promise<number> {
  return (await scrape(stack().auth.metricsUrl)).value("flowshield_risk_decisions_total", { subject, decision });
}

const homeAccount = () => registerAtHome(stack().auth.publicUrl);

test("a returning user from home, on their laptop: allowed, no prompt, no mail", async () => {
  const { user, email, home, laptop } = await homeAccount();
  expect((await riskEvents(user.id))[0]).toMatchObject({ subject: "registration", decision: "allow", reasons: [] });
  for (let i = 0; i < 2; i++) {
    const login = await clientAt(home, laptop).login({ email, password: GOOD_PASSWORD });
    expect(login.accessToken).not.toBe("");
  }
  const logins = (await riskEvents(user.id)).filter((e) => e.subject === "login");
  expect(logins).toHaveLength(2);
  for (const e of logins) expect(e).toMatchObject({ decision: "allow", score: 0, reasons: [], policy_version: "2026-12-07.1" });
  // No notice: the only mail is the verification code.
  await new Promise((r) => setTimeout(r, 1_000));
  expect(
    stack()
      .mail.received.filter((m) => m.to === email)
      .map((m) => m.subject),
  ).toEqual([expect.stringMatching(/Verify/)]);
});

test("a new device in the usual city: signed in without a prompt, the owner mailed, whose link ends every session", async () => {
  const { user, email, home } = await homeAccount();
  const phone = clientAt(home, `phone-${uniqueSuffix()}`);
  const login = await phone.login({ email, password: GOOD_PASSWORD });
  expect(login.accessToken).not.toBe("");
  expect((await riskEvents(user.id)).find((e) => e.subject === "login")).toMatchObject({
    decision: "notify",
    score: 0.3,
    reasons: ["NEW_DEVICE"],
  });

  const notice = await stack().mail.waitForMail(email, /new sign-in/);
  expect(notice.text).toMatch(/Where: near .*DE/);
  expect(notice.text).not.toContain(home);
  const link = new URL(/https?:\/\/\S+\/account\/not-me\S+/.exec(notice.text)![0]);
  // The page asks first: opening the link (a mail scanner does) ends nothing.
  const page = await fetch(new URL(link.pathname + link.search, stack().auth.publicUrl));
  expect(page.status).toBe(200);
  await expect(phone.refreshToken({ refreshToken: login.refreshToken })).resolves.toHaveProperty("accessToken");
  const cookies = page.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  const confirmed = await fetch(new URL("/account/not-me", stack().auth.publicUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrf, email: link.searchParams.get("email")!, code: link.searchParams.get("code")! }),
  });
  expect(confirmed.status).toBe(200);
  expect(await confirmed.text()).toContain("Signed out everywhere");
  expect(await outcomeOf(phone.refreshToken({ refreshToken: login.refreshToken }))).toMatchObject({ code: Code.Unauthenticated });
  const { events } = await stack().userAdmin.listAuditEvents({ userId: user.id, type: "signed_out_everywhere" });
  expect(events.map((e) => JSON.parse(e.detail))).toEqual([{ reason: "not_me" }]);
  // The link works once.
  const again = await fetch(new URL("/account/not-me", stack().auth.publicUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrf, email: link.searchParams.get("email")!, code: link.searchParams.get("code")! }),
  });
  expect(again.status).toBe(400);
});

test("the same user from another continent minutes later: step-up — asked the second factor it has; told by mail where it has none", async () => {
  // With an authenticator app: the second step is the step-up.
  const withApp = await homeAccount();
  await enrolTotp(clientAt(withApp.home, withApp.laptop), withApp.email);
  const far = clientAt(MELBOURNE(), withApp.laptop);
  const challenged = await far.login({ email: withApp.email, password: GOOD_PASSWORD });
  expect(challenged.accessToken).toBe("");
  expect(challenged.mfaChallenge?.id).not.toBe("");
  const stepUp = (await riskEvents(withApp.user.id)).find((e) => e.decision === "step_up");
  expect(stepUp).toMatchObject({ subject: "login", score: 0.766 });
  expect(stepUp!.reasons.sort()).toEqual(["IMPOSSIBLE_TRAVEL", "NEW_COUNTRY", "NEW_NETWORK"]);

  // Without one: signed in (nothing to ask), and its owner mailed at once.
  const without = await homeAccount();
  await clientAt(without.home, without.laptop).login({ email: without.email, password: GOOD_PASSWORD });
  const signedIn = await clientAt(MELBOURNE(), without.laptop).login({ email: without.email, password: GOOD_PASSWORD });
  expect(signedIn.accessToken).not.toBe("");
  const events = await riskEvents(without.user.id);
  expect(events.find((e) => e.decision === "step_up")!.reasons.sort()).toEqual(["IMPOSSIBLE_TRAVEL", "NEW_COUNTRY", "NEW_NETWORK"]);
  const notice = await stack().mail.waitForMail(without.email, /new sign-in/);
  expect(notice.text).toMatch(/Where: near .*AU/);
});

test("a data centre registering 30 accounts with throwaway emails: held, then refused for velocity; none can sign in", async () => {
  const network = `46.101.${Math.floor(Math.random() * 250)}`; // DigitalOcean (AS14061)
  const refusedBefore = await decisionsCounted("registration", "refuse");
  const attempts = Array.from({ length: 30 }, (_, i) => ({
    client: clientAt(`${network}.${i + 1}`, `bot-${uniqueSuffix()}`),
    email: `x7kq2m${uniqueSuffix().replace(/\W/g, "").slice(-8)}@mailinator.com`,
  }));
  // Six at a time, as a script would.
  const outcomes: Array<{ code: Code | "ok"; status?: UserStatus; id?: string; email: string }> = [];
  for (let i = 0; i < attempts.length; i += 6) {
    outcomes.push(
      ...(await Promise.all(
        attempts.slice(i, i + 6).map(async ({ client, email }) => {
          try {
            const { user } = await client.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Bot" });
            return { code: "ok" as const, status: user!.status, id: user!.id, email };
          } catch (err) {
            return { ...(await outcomeOf(Promise.reject(err))), email };
          }
        }),
      )),
    );
  }
  const held = outcomes.filter((o) => o.code === "ok");
  const refused = outcomes.filter((o) => o.code !== "ok");
  // Twenty a network an hour before velocity; concurrent ones may each see the count just below it.
  expect(held.length).toBeGreaterThanOrEqual(20);
  expect(held.length).toBeLessThanOrEqual(25);
  for (const o of held) expect(o.status).toBe(UserStatus.PENDING);
  for (const o of refused)
    expect(o).toMatchObject({ code: Code.PermissionDenied, message: expect.not.stringMatching(/VELOCITY|HOSTING|score/) });
  expect(await decisionsCounted("registration", "refuse")).toBe(refusedBefore + refused.length);

  const { events } = await stack().userAdmin.listAuditEvents({ type: "risk_assessed", pageSize: 200 });
  const ours = events.map((e) => JSON.parse(e.detail) as RiskEvent).filter((e) => e.subject === "registration");
  const holds = ours.filter((e) => e.decision === "hold");
  const refusals = ours.filter((e) => e.decision === "refuse");
  expect(holds.length).toBeGreaterThanOrEqual(held.length);
  for (const e of holds.slice(0, held.length)) expect(e.reasons).toEqual(expect.arrayContaining(["HOSTING_NETWORK", "DISPOSABLE_EMAIL"]));
  for (const e of refusals.slice(0, refused.length))
    expect(e.reasons).toEqual(expect.arrayContaining(["HOSTING_NETWORK", "DISPOSABLE_EMAIL", "VELOCITY"]));
  // A held account is pending: it cannot sign in until an operator activates it.
  const heldAccount = attempts.find((a) => a.email === held[0]!.email)!;
  expect(await outcomeOf(heldAccount.client.login({ email: heldAccount.email, password: GOOD_PASSWORD }))).toMatchObject({
    code: Code.Unauthenticated,
  });
  await stack().userAdmin.activateUser({ id: held[0]!.id! });
  await expect(heldAccount.client.login({ email: heldAccount.email, password: GOOD_PASSWORD })).resolves.toHaveProperty("accessToken");
});

test("a throwaway email from home: the account must verify its email before it signs in, even where verification is optional", async () => {
  const home = BERLIN_HOME();
  const client = clientAt(home, `laptop-${uniqueSuffix()}`);
  // A person's local part (a random one is a reason of its own); unique by a throwaway subdomain.
  const email = `ada.lovelace@${uniqueSuffix()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}.mailinator.com`;
  const { user } = await client.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Ada" });
  expect(user!.status).toBe(UserStatus.ACTIVE);
  expect((await riskEvents(user!.id))[0]).toMatchObject({
    subject: "registration",
    decision: "verify_first",
    reasons: ["DISPOSABLE_EMAIL"],
  });
  // REQUIRE_VERIFIED_EMAIL is off in this stack; this account must verify anyway.
  expect(await outcomeOf(client.login({ email, password: GOOD_PASSWORD }))).toMatchObject({
    code: Code.FailedPrecondition,
    message: expect.stringMatching(/verify your email/),
  });
  const mail = await stack().mail.waitForMail(email, /Verify/);
  await client.verifyEmail({ email, code: codeIn(mail) });
  await expect(client.login({ email, password: GOOD_PASSWORD })).resolves.toHaveProperty("accessToken");
});

test("credential stuffing over many accounts from a rotating /64: refused before any password check once the /48 is counted, and counted", async () => {
  const site = `2a01:4f8:${Math.floor(Math.random() * 0xffff).toString(16)}`; // Hetzner (AS24940), one /48
  const victim = await homeAccount();
  const refusedBefore = await decisionsCounted("login", "refuse");
  const tries = Array.from({ length: 140 }, (_, i) => ({
    client: clientAt(`${site}:${(i + 1).toString(16)}::1`, `stuffer-${i}`),
    email: i % 7 === 0 ? victim.email : `someone.${uniqueSuffix()}@example.com`,
  }));
  const outcomes: Array<{ code: Code | "ok"; message?: string }> = [];
  for (let i = 0; i < tries.length; i += 14) {
    outcomes.push(
      ...(await Promise.all(
        tries.slice(i, i + 14).map(({ client, email }) => outcomeOf(client.login({ email, password: "Tr0ub4dor&3-guess" }))),
      )),
    );
  }
  const wrong = outcomes.filter((o) => o.code === Code.Unauthenticated).length;
  const refused = outcomes.filter((o) => o.code === Code.PermissionDenied);
  // 100 failures a network an hour; those already under way when the 100th was counted pass too.
  expect(wrong).toBeGreaterThanOrEqual(100);
  expect(wrong).toBeLessThanOrEqual(114);
  expect(refused.length).toBe(140 - wrong);
  for (const o of refused) expect(o.message).toMatch(/refused/);
  // Even the right password, from anywhere in that /48: refused before it is checked.
  const withPassword = await outcomeOf(clientAt(`${site}:ffff::1`, "stuffer-x").login({ email: victim.email, password: GOOD_PASSWORD }));
  expect(withPassword).toMatchObject({ code: Code.PermissionDenied });
  expect(await decisionsCounted("login", "refuse")).toBe(refusedBefore + refused.length + 1);
  // The owner, at home, is not held up by the run against their account.
  const owner = await clientAt(victim.home, victim.laptop).login({ email: victim.email, password: GOOD_PASSWORD });
  expect(owner.accessToken).not.toBe("");
  const { events } = await stack().userAdmin.listAuditEvents({ type: "risk_assessed", pageSize: 100 });
  const refusals = events.map((e) => JSON.parse(e.detail) as RiskEvent).filter((e) => e.decision === "refuse" && e.subject === "login");
  expect(refusals.length).toBeGreaterThanOrEqual(refused.length);
  for (const e of refusals.slice(0, 10)) expect(e.reasons).toEqual(["HOSTING_NETWORK", "VELOCITY"]);
});
