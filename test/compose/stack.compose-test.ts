import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { Connection } from "@temporalio/client";
import type { StartedDockerComposeEnvironment } from "testcontainers";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { ServingStatus } from "@flowshield/common/runtime/health";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { UserStatus } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import { ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import { Health } from "@flowshield/gen/grpc/health/v1/health_pb";
import { Code, outcomeOf } from "../support/codes";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { registerOnce, registrationStream, type Attempt } from "../support/registrations";
import { waitUntil } from "../support/wait";
import { compose, composePki, composeSecret, dockerStats, mailpitText, serviceStates, upComposeStack } from "./compose-stack";

// docker-compose.yml, black box: the images the Dockerfile and deploy/local-images.sh build, the
// stack brought up by compose in dependency order, and every call through a published port — as
// a gateway team or an SRE meets it. Run by `make compose-test`.

jest.setTimeout(300_000);

const AUTH = "http://127.0.0.1:8081";
const INTERNAL_AUTH = "https://127.0.0.1:9081";
const PROFILE = "http://127.0.0.1:8082";
const authGrpc = createClient(AuthService, createGrpcTransport({ baseUrl: AUTH }));
const authJson = createClient(AuthService, createConnectTransport({ baseUrl: AUTH, httpVersion: "1.1" }));
const profileGrpc = createClient(ProfileService, createGrpcTransport({ baseUrl: PROFILE }));

let stack: StartedDockerComposeEnvironment | undefined;
beforeAll(async () => {
  stack = await upComposeStack();
}, 600_000);
afterAll(async () => {
  // What each container holds in memory after the tests (the closing figures of `make compose-test`).
  const ids = (await compose("ps", "--quiet")).split("\n").filter(Boolean);
  if (ids.length > 0) console.log(await dockerStats(ids));
  await stack?.down({ removeVolumes: true });
}, 120_000);

const serving = async (baseUrl: string) =>
  (
    await createClient(Health, createGrpcTransport({ baseUrl }))
      .check({ service: "" }, { timeoutMs: 2_000 })
      .catch(() => undefined)
  )?.status === ServingStatus.SERVING;

const codeIn = (text: string) => /code: ([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(text)?.[1];

test("every long-running service is healthy and every one-shot job finished successfully", async () => {
  const states = await serviceStates();
  const byService = Object.fromEntries(states.map((s) => [s.Service, s]));
  for (const job of ["temporal-schema", "temporal-namespace", "auth-migrate", "profile-migrate"])
    expect([job, byService[job]?.State, byService[job]?.ExitCode]).toEqual([job, "exited", 0]);
  for (const service of ["scylla", "temporal-visibility-db", "auth-db", "profile-db", "auth", "profile", "worker"])
    expect([service, byService[service]?.State, byService[service]?.Health]).toEqual([service, "running", "healthy"]);
  for (const service of ["temporal", "temporal-ui", "mailpit"]) expect([service, byService[service]?.State]).toEqual([service, "running"]);
  expect((await fetch("http://127.0.0.1:8233/")).status).toBe(200);
});

test("mutual TLS: the internal ports and Temporal's frontend answer only a caller with its certificate", async () => {
  const users = (credential: string, tls?: Parameters<typeof createInternalClient>[3]) =>
    createInternalClient(UserAdminService, INTERNAL_AUTH, credential, tls);
  // The operator with its own certificate is answered; the worker's credential from the host,
  // without the worker's certificate, is not (a certificate of the other authority does not do).
  expect(await outcomeOf(users(composeSecret("OPERATOR_CREDENTIAL"), composePki("operator-internal")).listAuditEvents({}))).toEqual({
    code: "ok",
  });
  const noCertificate = await outcomeOf(
    users(composeSecret("SERVICE_CREDENTIAL"), { ...composePki("worker-temporal"), ca: composePki("worker-internal").ca }).getUser({
      id: "00000000-0000-4000-8000-000000000000",
    }),
  );
  expect([noCertificate.code === "ok", noCertificate.code === Code.NotFound]).toEqual([false, false]);
  expect(
    (await outcomeOf(users(composeSecret("SERVICE_CREDENTIAL")).getUser({ id: "00000000-0000-4000-8000-000000000000" }))).code,
  ).not.toBe("ok");
  // Temporal's frontend: an operator's client of its authority is answered; one with no certificate,
  // or in plaintext, is not.
  const admin = composePki("operator-temporal");
  const connection = await Connection.connect({
    address: "127.0.0.1:7233",
    tls: { serverRootCACertificate: admin.ca, clientCertPair: { crt: admin.cert, key: admin.key } },
  });
  expect((await connection.workflowService.getSystemInfo({})).serverVersion).toEqual(expect.any(String));
  await connection.close();
  for (const tls of [{ serverRootCACertificate: admin.ca }, false as const]) {
    const refused = await Connection.connect({ address: "127.0.0.1:7233", tls, connectTimeout: "5s" })
      .then(async (c) => {
        const answered = await c.workflowService.getSystemInfo({}).then(
          () => true,
          () => false,
        );
        await c.close();
        return !answered;
      })
      .catch(() => true);
    expect(refused).toBe(true);
  }
});

test("the account journey: register (Connect JSON), the code from Mailpit, verify, log in, read the profile, refresh", async () => {
  const email = uniqueEmail();
  const username = uniqueUsername();
  const registered = await authJson.register({ email, password: GOOD_PASSWORD, username, displayName: "Compose" });
  expect(registered.user?.status).toBe(UserStatus.ACTIVE);

  expect(await outcomeOf(authGrpc.login({ email, password: GOOD_PASSWORD }))).toMatchObject({ code: Code.FailedPrecondition });
  const code = codeIn(await mailpitText(email, /verify/i));
  expect(code).toBeDefined();
  await authGrpc.verifyEmail({ email, code: code! });

  const login = await authGrpc.login({ email, password: GOOD_PASSWORD });
  expect(login.tokenType).toBe("Bearer");
  const profile = await profileGrpc.getProfile({ lookup: { case: "username", value: username } });
  expect(profile.profile?.userId).toBe(registered.user?.id);
  const refreshed = await authJson.refreshToken({ refreshToken: login.refreshToken });
  expect(refreshed.refreshToken).not.toBe(login.refreshToken);
});

test("a taken username compensates the user, and the email can register again", async () => {
  const username = uniqueUsername();
  await authGrpc.register({ email: uniqueEmail(), password: GOOD_PASSWORD, username, displayName: "First" });
  const email = uniqueEmail();
  expect(await outcomeOf(authGrpc.register({ email, password: GOOD_PASSWORD, username, displayName: "Second" }))).toEqual({
    code: Code.AlreadyExists,
    message: "username is taken",
  });
  const again = await authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Second" });
  expect(again.user?.email).toBe(email);
});

test("five concurrent registrations of one email make exactly one user", async () => {
  const email = uniqueEmail();
  const outcomes = await Promise.all(
    Array.from({ length: 5 }, () =>
      outcomeOf(authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Race" })),
    ),
  );
  expect(outcomes.filter((o) => o.code === "ok")).toHaveLength(1);
  for (const o of outcomes.filter((o) => o.code !== "ok")) expect([Code.AlreadyExists, Code.Aborted]).toContain(o.code);
});

// Whether the account behind an attempt exists on each side, seen from outside: the profile by
// its username (public), the user by its id (internal: the operator's credential and certificate).
async function sides(attempt: Attempt): Promise<{ user: boolean; profile: boolean }> {
  const admin = createInternalClient(
    UserAdminService,
    INTERNAL_AUTH,
    composeSecret("OPERATOR_CREDENTIAL"),
    composePki("operator-internal"),
  );
  const found = await profileGrpc.getProfile({ lookup: { case: "username", value: attempt.username } }).catch(() => undefined);
  if (found?.profile === undefined) {
    // No profile: the user must be gone too, which its login tells (Unauthenticated, not "unverified").
    const { code } = await outcomeOf(authGrpc.login({ email: attempt.email, password: GOOD_PASSWORD }));
    return { user: code !== Code.Unauthenticated, profile: false };
  }
  const user = await admin.getUser({ id: found.profile.userId }).catch(() => undefined);
  return { user: user?.user?.email === attempt.email, profile: true };
}

// Registrations while `fault` breaks something; afterwards no account is half made, every
// acknowledged one exists on both sides, and a new registration goes through.
async function survives(fault: () => Promise<void>): Promise<void> {
  const stream = registrationStream(authGrpc, 3);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(stream.inFlight()).toBeGreaterThan(0);
  await fault();
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const attempts = await stream.finish();
  expect(attempts.some((a) => a.outcome === "ok")).toBe(true);
  const halfMade = async () => {
    const found = await Promise.all(attempts.map(async (a) => ({ a, ...(await sides(a)) })));
    return found.filter((f) => f.user !== f.profile || (f.a.outcome === "ok" && !f.user)).map((f) => f.a.email);
  };
  let left: string[] = [];
  await waitUntil(async () => (left = await halfMade()).length === 0, 120_000, 2_000);
  expect(left).toEqual([]);
  await waitUntil(async () => (await serving(AUTH)) && (await serving(PROFILE)), 60_000, 500);
  let after: Attempt | undefined;
  await waitUntil(async () => (after = await registerOnce(authGrpc)).outcome === "ok", 90_000, 1_000);
  expect(after?.outcome).toBe("ok");
}

test("the Temporal server restarted during registrations", async () => {
  await survives(async () => {
    await compose("restart", "temporal");
  });
});

test("the worker killed with SIGKILL during registrations, then started again", async () => {
  await survives(async () => {
    await compose("kill", "-s", "SIGKILL", "worker");
    await compose("start", "worker");
  });
});
