import { createClient } from "@connectrpc/connect";
import fc from "fast-check";
import { createConnectTransport } from "@connectrpc/connect-node";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { quietLog, testAuthConfig, useFullStack } from "../support/stack";

// The per-address limits, behind a trusted proxy: each test's client has an address of its own
// (X-Forwarded-For), which also shows that the header is believed from TRUSTED_PROXIES only.

jest.setTimeout(60_000);

const stack = useFullStack();

let auth: RunningAuthService;
beforeAll(async () => {
  auth = await startAuthService(
    testAuthConfig({ taskQueue: stack().taskQueue, trustedProxies: "127.0.0.1, ::1", registrationsPerIp: 2, loginFailuresPerIp: 3 }),
    quietLog,
  );
});
afterAll(async () => {
  await auth?.close();
});

// A client the auth service sees at `ip` (documentation range, random per test run).
function clientAt(ip: string) {
  return createClient(
    AuthService,
    createConnectTransport({
      baseUrl: auth.publicUrl,
      httpVersion: "1.1",
      interceptors: [(next) => (req) => (req.header.set("x-forwarded-for", `192.0.2.77, ${ip}`), next(req))],
    }),
  );
}
// Each in a /64 of its own: the limits count an IPv6 client by its /64.
const randomIpv6 = () =>
  `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}::1`;

test("registrations per address: the third within the hour is refused, another address goes on", async () => {
  const ip = randomIpv6();
  const register = (client: ReturnType<typeof clientAt>) =>
    outcomeOf(client.register({ email: uniqueEmail(), password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Many" }));
  expect(await register(clientAt(ip))).toEqual({ code: "ok" });
  expect(await register(clientAt(ip))).toEqual({ code: "ok" });
  expect(await register(clientAt(ip))).toMatchObject({ code: Code.ResourceExhausted });
  expect(await register(clientAt(randomIpv6()))).toEqual({ code: "ok" });
});

test("failed logins per address across accounts: the fourth is refused before any password check", async () => {
  const ip = randomIpv6();
  const client = clientAt(ip);
  for (let i = 0; i < 3; i++) {
    expect(await outcomeOf(client.login({ email: uniqueEmail(), password: GOOD_PASSWORD }))).toMatchObject({ code: Code.Unauthenticated });
  }
  expect(await outcomeOf(client.login({ email: uniqueEmail(), password: GOOD_PASSWORD }))).toMatchObject({ code: Code.ResourceExhausted });
  // The audit trail names the client, not the proxy (nor what the client claimed before it).
  const { events } = await stack().userAdmin.listAuditEvents({ type: "login_failed", pageSize: 500 });
  expect(events.filter((e) => e.ip === ip)).toHaveLength(3);
  expect(events.filter((e) => e.ip === "192.0.2.77")).toEqual([]);
});

test("the longest email there can be and an IPv6 client fit the limits' keys: refusals, never INTERNAL", async () => {
  const client = clientAt(`2001:db8:ffff:ffff:ffff:ffff:ffff:${Math.floor(Math.random() * 0xffff).toString(16)}`);
  const longest = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.example`.slice(0, 254);
  expect(longest).toHaveLength(254);
  expect(await outcomeOf(client.login({ email: longest, password: GOOD_PASSWORD }))).toMatchObject({ code: Code.Unauthenticated });
  expect(await outcomeOf(client.resendVerificationEmail({ email: longest }))).toEqual({ code: "ok" });
  expect(await outcomeOf(client.requestPasswordReset({ email: longest }))).toEqual({ code: "ok" });
});

test("any well-formed email, however long or odd, is answered without INTERNAL by every email-keyed method", async () => {
  const client = clientAt(randomIpv6());
  await fc.assert(
    fc.asyncProperty(fc.emailAddress(), async (email) => {
      const outcomes = await Promise.all([
        outcomeOf(client.login({ email, password: GOOD_PASSWORD })),
        outcomeOf(client.resendVerificationEmail({ email })),
        outcomeOf(client.requestPasswordReset({ email })),
        outcomeOf(client.verifyEmail({ email, code: "ABCDE-FGHJK" })),
      ]);
      for (const outcome of outcomes) expect([Code.Internal, Code.Unknown]).not.toContain(outcome.code);
    }),
    { numRuns: 60 },
  );
});
