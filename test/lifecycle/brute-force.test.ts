import { ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import type { RunningAuthService } from "@flowshield/auth/server";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { RetryInfoSchema } from "@flowshield/gen/google/rpc/error_details_pb";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { startCountingAuth } from "../support/counting-hasher";
import { useFullStack } from "../support/stack";

// Brute-force protection, counted where it matters: how many bcrypt comparisons an attacker gets.

jest.setTimeout(60_000);

const stack = useFullStack();

let auth: RunningAuthService;
let compares: () => number;
beforeAll(async () => {
  ({ auth, compares } = await startCountingAuth({ taskQueue: stack().taskQueue }));
});
afterAll(async () => {
  await auth?.close();
});

const client = () => createClient(AuthService, createConnectTransport({ baseUrl: auth.publicUrl, httpVersion: "1.1" }));

test("the 11th consecutive wrong password is refused without a bcrypt call, and so is the right one while locked", async () => {
  const email = uniqueEmail();
  const { user } = await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Target" });
  const before = compares();
  for (let i = 1; i <= 10; i++) {
    expect(await outcomeOf(client().login({ email, password: `wrong guess ${i}` }))).toMatchObject({ code: Code.Unauthenticated });
  }
  expect(compares() - before).toBe(10);

  const refused = await client()
    .login({ email, password: "wrong guess 11" })
    .catch((err: unknown) => ConnectError.from(err));
  expect((refused as ConnectError).code).toBe(Code.ResourceExhausted);
  // Locked for 15 minutes: said in the header and in the details.
  expect(Number((refused as ConnectError).metadata.get("retry-after"))).toBeGreaterThan(14 * 60);
  expect(Number((refused as ConnectError).findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds)).toBeGreaterThan(14 * 60);
  expect(await outcomeOf(client().login({ email, password: GOOD_PASSWORD }))).toMatchObject({ code: Code.ResourceExhausted });
  expect(compares() - before).toBe(10);

  const { events } = await stack().userAdmin.listAuditEvents({ userId: user!.id });
  expect(events.filter((e) => e.type === "login_failed")).toHaveLength(10);
  expect(events.filter((e) => e.type === "locked_out")).toHaveLength(1);
  // Every event knows who asked and from where, and holds no secret.
  for (const e of events) {
    expect(e.ip).toBe("127.0.0.1");
    expect(e.requestId).not.toBe("");
    expect(`${e.detail} ${e.userAgent}`).not.toMatch(/wrong guess|\$2b\$/);
  }
});

test("a successful login clears the consecutive-failure counter", async () => {
  const email = uniqueEmail();
  await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Forgetful" });
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 9; i++) await outcomeOf(client().login({ email, password: `typo ${i}` }));
    await client().login({ email, password: GOOD_PASSWORD });
  }
  // 18 failures in all, never 10 in a row: not locked.
  expect(await outcomeOf(client().login({ email, password: GOOD_PASSWORD }))).toEqual({ code: "ok" });
});

test("ListAuditEvents pages through a user's events, newest first, and filters by type", async () => {
  const email = uniqueEmail();
  const { user } = await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Paged" });
  for (let i = 0; i < 5; i++) await client().login({ email, password: GOOD_PASSWORD });
  const seen: string[] = [];
  let pageToken = "";
  do {
    const page = await stack().userAdmin.listAuditEvents({ userId: user!.id, pageSize: 2, pageToken });
    expect(page.events.length).toBeLessThanOrEqual(2);
    seen.push(...page.events.map((e) => e.type));
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  expect(seen).toEqual(["login_succeeded", "login_succeeded", "login_succeeded", "login_succeeded", "login_succeeded", "registered"]);
  const only = await stack().userAdmin.listAuditEvents({ userId: user!.id, type: "registered" });
  expect(only.events.map((e) => e.type)).toEqual(["registered"]);
  expect(await outcomeOf(stack().userAdmin.listAuditEvents({ type: "no_such_type" }))).toMatchObject({ code: Code.InvalidArgument });
  expect(await outcomeOf(stack().userAdmin.listAuditEvents({ pageToken: "garbage" }))).toMatchObject({ code: Code.InvalidArgument });
});
