import { MELBOURNE, clientAt as proxiedClient, registerAtHome } from "../support/client-at";
import { Code, outcomeOf } from "../support/codes";
import { GOOD_PASSWORD, uniqueSuffix } from "../support/env";
import { useFullStack } from "../support/stack";

// The risk engine's place of a sign-in comes from the city database, looked up in its file a node
// at a time through one buffer (services/auth/src/risk/adapters/city-database.ts). Attacked here
// over real HTTP/2 through a trusted proxy (each client seen at the address it names in
// X-Forwarded-For): many owners signing in at once from two continents while strangers send wrong
// passwords from malformed, mapped, scoped and unrouted addresses. Every owner's decision must
// be about its own address; no stranger's address may make the service fail.

jest.setTimeout(180_000);

const stack = useFullStack({ riskEngine: true, trustedProxies: "127.0.0.1, ::1" });
const clientAt = (ip: string, deviceId: string) => proxiedClient(stack().auth.publicUrl, ip, deviceId);

const HOSTILE_ADDRESSES = [
  "::ffff:139.130.4.9",
  "fe80::1%eth0",
  "2001:db8::1",
  "999.1.1.1",
  "1.2.3.4.5",
  "::",
  "0.0.0.0",
  "255.255.255.255",
  "not an address",
  "a".repeat(4_000),
  "91.64.1.1, 139.130.4.1",
];

async function loginReasons(userId: string): Promise<string[][]> {
  const { events } = await stack().userAdmin.listAuditEvents({ userId, type: "risk_assessed" });
  return events
    .map((e) => JSON.parse(e.detail) as { subject: string; reasons: string[] })
    .filter((e) => e.subject === "login")
    .map((e) => e.reasons.sort());
}

test("owners on two continents and strangers at hostile addresses, all at once: each owner judged at its own address, no stranger breaks the service", async () => {
  // Twelve owners registered at home in Berlin, each on its laptop, and signed in there once.
  const owners = await Promise.all(
    Array.from({ length: 12 }, async (_, n) => {
      const { user, email, home, laptop } = await registerAtHome(stack().auth.publicUrl);
      await clientAt(home, laptop).login({ email, password: GOOD_PASSWORD });
      return { userId: user.id, email, home, laptop, travels: n % 2 === 0 };
    }),
  );

  // At once: half the owners from Melbourne minutes later, half from home again, and five wrong
  // passwords for each owner from every hostile address.
  const [signIns, attacks] = await Promise.all([
    Promise.all(owners.map((o) => clientAt(o.travels ? MELBOURNE() : o.home, o.laptop).login({ email: o.email, password: GOOD_PASSWORD }))),
    Promise.all(
      owners.flatMap((o) =>
        HOSTILE_ADDRESSES.flatMap((ip) =>
          Array.from({ length: 5 }, () =>
            outcomeOf(clientAt(ip, `stranger-${uniqueSuffix()}`).login({ email: o.email, password: "not-the-password-1" })),
          ),
        ),
      ),
    ),
  ]);

  expect(signIns.every((s) => s.accessToken !== "")).toBe(true);
  // Wrong passwords, or turned away by the limits: never an internal error.
  for (const a of attacks) expect([Code.Unauthenticated, Code.ResourceExhausted]).toContain(a.code);
  expect(attacks.filter((a) => a.code === Code.Unauthenticated).length).toBeGreaterThan(0);
  // Newest first: the sign-in just made, then the first at home; the strangers' wrong passwords
  // are refused before the owner's trail is scored.
  for (const o of owners) {
    expect([o.email, await loginReasons(o.userId)]).toEqual([
      o.email,
      [o.travels ? ["IMPOSSIBLE_TRAVEL", "NEW_COUNTRY", "NEW_NETWORK"] : [], []],
    ]);
  }
  // And the service still places a sign-in afterwards.
  const after = owners[1]!;
  await clientAt(after.home, after.laptop).login({ email: after.email, password: GOOD_PASSWORD });
  expect((await loginReasons(after.userId))[0]).toEqual([]);
});
