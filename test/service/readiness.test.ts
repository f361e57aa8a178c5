import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Writable } from "node:stream";
import pg from "pg";
import { LIVENESS, ServingStatus } from "@flowshield/common/runtime/health";
import { createLogger } from "@flowshield/common/observability/logger";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { Health } from "@flowshield/gen/grpc/health/v1/health_pb";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { GOOD_PASSWORD, testEnv, uniqueEmail, uniqueSuffix, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { testAuthConfig, useFullStack } from "../support/stack";
import { waitUntil } from "../support/wait";
import { startTcpProxy, throughProxy, type TcpProxy } from "../support/tcp-proxy";

jest.setTimeout(60_000);

// A second auth service whose database is reached through a proxy the tests can cut, beside the
// full stack (whose worker runs this service's registrations).
const stack = useFullStack();
const applicationName = `readiness-${uniqueSuffix()}`;
const logLines: string[] = [];
let proxy: TcpProxy;
let auth: RunningAuthService;
const email = uniqueEmail();

beforeAll(async () => {
  const target = new URL(testEnv.authDatabaseUrl());
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
  const url = new URL(throughProxy(testEnv.authDatabaseUrl(), proxy));
  url.searchParams.set("application_name", applicationName);
  const sink = new Writable({ write: (chunk, _enc, cb) => (logLines.push(String(chunk)), cb()) });
  auth = await startAuthService(
    testAuthConfig({ databaseUrl: url.toString(), taskQueue: stack().taskQueue }),
    createLogger("auth", "info", sink),
  );
  await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Ready" });
});
afterAll(async () => {
  await auth?.close();
  await proxy?.close();
});

const client = () => createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
const health = (baseUrl: string) => createClient(Health, createGrpcTransport({ baseUrl }));
const statusOf = async (baseUrl: string, service: string) => (await health(baseUrl).check({ service })).status;
// A caller's patience: an answer must come before it runs out, so a hang shows up as DEADLINE_EXCEEDED.
const patience = { timeoutMs: 15_000 };
// What auth logged as a failure of its own (an error it did not map), to show beside a wrong code.
const unexpectedErrors = () => logLines.filter((line) => line.includes("rpc failed unexpectedly"));

test("a database that ends every connection does not end the process, and the next call reconnects", async () => {
  await client().login({ email, password: GOOD_PASSWORD });
  const admin = new pg.Client({ connectionString: testEnv.authDatabaseUrl() });
  await admin.connect();
  let ended = 0;
  try {
    const result = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [
      applicationName,
    ]);
    ended = result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
  expect(ended).toBeGreaterThan(0);
  // Every ended connection was idle, so each is noticed and dropped on its own (one log line
  // each) — wait for all of them, or the call below may be handed one not yet noticed.
  const lost = () => logLines.join("").split("database connection lost").length - 1;
  await waitUntil(() => lost() >= ended, 5_000, 20);
  expect(lost()).toBe(ended);
  expect((await client().login({ email, password: GOOD_PASSWORD }, patience)).tokenType).toBe("Bearer");
});

test.each([
  ["refused", (p: TcpProxy) => p.cut()],
  ["silent", (p: TcpProxy) => p.blackhole()],
])("while the database is %s: UNAVAILABLE, not ready (liveness stays), then serving again by itself", async (_, breakIt) => {
  // Serving at the start whatever an earlier case left behind.
  await auth.readiness.checkNow();
  const watched: ServingStatus[] = [];
  const watcher = new AbortController();
  const watching = (async () => {
    for await (const res of health(auth.publicUrl).watch({ service: "" }, { signal: watcher.signal })) watched.push(res.status);
  })().catch(() => undefined);

  // The stream has told its first status before anything breaks.
  await waitUntil(() => watched.length > 0, 10_000, 20);
  expect(watched).toEqual([ServingStatus.SERVING]);
  breakIt(proxy);
  try {
    const login = await outcomeOf(client().login({ email, password: GOOD_PASSWORD }, patience));
    expect({ code: login.code, unexpected: unexpectedErrors() }).toEqual({ code: Code.Unavailable, unexpected: [] });
    const internal = createClient(UserAdminService, createGrpcTransport({ baseUrl: auth.internalUrl }));
    expect(
      (
        await outcomeOf(
          internal.getUser(
            { id: crypto.randomUUID() },
            { ...patience, headers: { authorization: "Bearer test-service-credential-0123456789abcdef" } },
          ),
        )
      ).code,
    ).toBe(Code.Unavailable);
    await auth.readiness.checkNow();
    for (const [url, service] of [
      [auth.publicUrl, ""],
      [auth.publicUrl, AuthService.typeName],
      [auth.internalUrl, UserAdminService.typeName],
    ] as const) {
      expect(await statusOf(url, service)).toBe(ServingStatus.NOT_SERVING);
    }
    expect(await statusOf(auth.publicUrl, LIVENESS)).toBe(ServingStatus.SERVING);
  } finally {
    proxy.restore();
  }
  await auth.readiness.checkNow();
  expect(await statusOf(auth.publicUrl, "")).toBe(ServingStatus.SERVING);
  expect((await client().login({ email, password: GOOD_PASSWORD }, patience)).tokenType).toBe("Bearer");
  watcher.abort();
  await watching;
  expect(watched).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING, ServingStatus.SERVING]);
});
