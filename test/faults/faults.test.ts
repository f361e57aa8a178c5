import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { ServingStatus } from "@flowshield/common/runtime/health";
import { Health } from "@flowshield/gen/grpc/health/v1/health_pb";
import { Code, outcomeOf } from "../support/codes";
import { GOOD_PASSWORD } from "../support/env";
import { waitUntil } from "../support/wait";
import { registerOnce, registrationStream, type Attempt } from "../support/registrations";
import { halfMade, readAccounts, useFaultStack } from "./fault-stack";

// The fault suite: FlowShield's processes run separately, as an operator runs them, and each test
// breaks one thing during a burst of registrations. Afterwards: no user without a profile and no
// profile without a user, every acknowledged registration exists, no process died that was not
// killed on purpose, and each service serves again without being restarted by hand.

jest.setTimeout(240_000);

const stack = useFaultStack("faults");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function serving(url: string): Promise<boolean> {
  const health = createClient(Health, createGrpcTransport({ baseUrl: url }));
  return (await health.check({ service: "" }, { timeoutMs: 2_000 }).catch(() => undefined))?.status === ServingStatus.SERVING;
}

// Waits until the sagas in flight have settled, then checks the invariants.
async function expectRecovered(attempts: Attempt[], pids: Record<string, number | undefined>): Promise<void> {
  let accounts = await readAccounts(stack());
  await waitUntil(async () => halfMade((accounts = await readAccounts(stack()))).length === 0, 120_000, 500);
  expect(halfMade(accounts)).toEqual([]);
  for (const attempt of attempts.filter((a) => a.outcome === "ok")) {
    const user = accounts.users.get(attempt.email);
    expect(user).toBeDefined();
    expect(accounts.profiles.get(user!.id)?.username).toBe(attempt.username);
  }
  expect(stack().unexpectedExits).toEqual([]);
  // The processes the test did not restart are the very same ones, serving again by themselves.
  for (const [name, pid] of Object.entries(pids))
    expect([name, pid]).toEqual([name, { auth: stack().auth, profile: stack().profile, worker: stack().worker }[name]!.pid()]);
  await waitUntil(async () => (await serving(stack().authUrl)) && (await serving(stack().profileUrl)), 60_000, 250);
  expect(await serving(stack().authUrl)).toBe(true);
  expect(await serving(stack().profileUrl)).toBe(true);
  const anyone = attempts.find((a) => a.outcome === "ok") ?? (await registerOnce(stack().authClient));
  expect((await stack().authClient.login({ email: anyone.email, password: GOOD_PASSWORD })).tokenType).toBe("Bearer");
}

const pidsOf = (...names: Array<"auth" | "profile" | "worker">) => Object.fromEntries(names.map((n) => [n, stack()[n].pid()]));

async function terminateConnections(adminUrl: string, database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return (
      (
        await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [
          database,
        ])
      ).rowCount ?? 0
    );
  } finally {
    await admin.end();
  }
}

// Starts registrations, waits until some are in flight, breaks something, mends it, and returns
// every registration's outcome once the last one has answered.
async function duringRegistrations(fault: () => Promise<void>): Promise<Attempt[]> {
  const stream = registrationStream(stack().authClient);
  await sleep(300);
  expect(stream.inFlight()).toBeGreaterThan(0);
  await fault();
  await sleep(1_000);
  const attempts = await stream.finish();
  if (process.env.FAULTS_REPORT) {
    const messages = [...new Set(attempts.filter((a) => a.outcome !== "ok").map((a) => `${a.outcome}: ${a.message}`))];
    console.log(expect.getState().currentTestName, countBy(attempts), messages);
  }
  return attempts;
}

function countBy(attempts: Attempt[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of attempts) counts[a.outcome] = (counts[a.outcome] ?? 0) + 1;
  return counts;
}

const succeeded = (attempts: Attempt[]) => attempts.filter((a) => a.outcome === "ok").length;

test("every database connection of both services dropped during registrations", async () => {
  const pids = pidsOf("auth", "profile", "worker");
  let dropped = 0;
  const attempts = await duringRegistrations(async () => {
    dropped =
      (await terminateConnections(stack().authDb.adminUrl, "auth")) + (await terminateConnections(stack().profileDb.adminUrl, "profile"));
  });
  expect(dropped).toBeGreaterThan(0);
  expect(succeeded(attempts)).toBeGreaterThan(0);
  await expectRecovered(attempts, pids);
});

test("profile's Postgres stopped for 3 s during registrations, then started again", async () => {
  const pids = pidsOf("auth", "profile", "worker");
  const attempts = await duringRegistrations(async () => {
    await stack().profileDb.stop();
    await sleep(3_000);
    await stack().profileDb.start();
  });
  // A profile database that is down for a while delays registrations; it does not undo them.
  expect(succeeded(attempts)).toBeGreaterThan(0);
  await expectRecovered(attempts, pids);
});

test("the worker killed with SIGKILL during registrations, then started again", async () => {
  const pids = pidsOf("auth", "profile");
  const attempts = await duringRegistrations(async () => {
    await stack().worker.stop("SIGKILL");
    await sleep(1_000);
    await stack().worker.start();
  });
  await expectRecovered(attempts, pids);
});

test("the worker stopped with SIGTERM during registrations finishes its tasks, then a new one takes over", async () => {
  const pids = pidsOf("auth", "profile");
  const attempts = await duringRegistrations(async () => {
    await stack().worker.stop("SIGTERM");
    await stack().worker.start();
  });
  expect(stack().unexpectedExits).toEqual([]);
  expect(succeeded(attempts)).toBeGreaterThan(0);
  await expectRecovered(attempts, pids);
});

test("the profile service killed during registrations and started again 4 s later", async () => {
  const pids = pidsOf("auth", "worker");
  const attempts = await duringRegistrations(async () => {
    await stack().profile.stop("SIGKILL");
    await sleep(4_000);
    await stack().profile.start();
  });
  expect(succeeded(attempts)).toBeGreaterThan(0);
  await expectRecovered(attempts, pids);
});

test("the Temporal server restarted during registrations", async () => {
  const pids = pidsOf("auth", "profile", "worker");
  const attempts = await duringRegistrations(() => stack().restartTemporal());
  await expectRecovered(attempts, pids);
  // Auth and the worker found the server again by themselves: a new registration goes through.
  let after: Attempt | undefined;
  await waitUntil(async () => (after = await registerOnce(stack().authClient)).outcome === "ok", 60_000, 1_000);
  expect(after?.outcome).toBe("ok");
});

test("auth stopped with SIGTERM while registrations are in flight: those in flight still get their answer", async () => {
  const pids = pidsOf("profile", "worker");
  let stoppedAt = 0;
  const attempts = await duringRegistrations(async () => {
    stoppedAt = Date.now();
    await stack().auth.stop("SIGTERM");
    await stack().auth.start();
  });
  // Calls made well before the signal (a call made the same instant may not have reached the
  // server yet, and is refused with the connection: the caller retries it like any refusal).
  const inFlight = attempts.filter((a) => a.startedAt < stoppedAt - 50);
  expect(inFlight.length).toBeGreaterThan(0);
  expect(inFlight.map((a) => a.outcome)).toEqual(inFlight.map(() => "ok"));
  await expectRecovered(attempts, pids);
});

test("auth killed with SIGKILL while registrations are in flight, then started again; the callers' retries are safe", async () => {
  const pids = pidsOf("profile", "worker");
  const attempts = await duringRegistrations(async () => {
    await stack().auth.stop("SIGKILL");
    await sleep(500);
    await stack().auth.start();
  });
  expect(attempts.some((a) => a.outcome !== "ok")).toBe(true); // some callers did lose their answer
  await expectRecovered(attempts, pids);
  // A caller that heard an error retries the same request: nothing is duplicated or half-made.
  const retried = await Promise.all(
    attempts
      .filter((a) => a.outcome !== "ok")
      .map(async (a) => {
        const retry = () =>
          outcomeOf(
            stack().authClient.register(
              { email: a.email, password: GOOD_PASSWORD, username: a.username, displayName: "Fault" },
              { timeoutMs: 60_000 },
            ),
          );
        let { code } = await retry();
        // ABORTED: the first saga for this email is still running; "retry shortly", as it says.
        for (let tries = 0; code === Code.Aborted && tries < 30; tries++) ({ code } = await sleep(1_000).then(retry));
        return { ...a, outcome: String(code) };
      }),
  );
  // OK, or ALREADY_EXISTS when the first saga had finished after all.
  for (const r of retried) expect(["ok", String(Code.AlreadyExists)]).toContain(r.outcome);
  await expectRecovered(retried, pidsOf("auth", "profile", "worker"));
});
