import { Client, Connection } from "@temporalio/client";
import { Code, outcomeOf } from "../support/codes";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { monitoringQueries, parseQuery } from "../support/monitoring";
import { parseExposition, scrape, type Scrape } from "../support/prometheus";
import { registerOnce } from "../support/registrations";
import { waitUntil } from "../support/wait";
import { readAccounts, useFaultStack } from "../faults/fault-stack";

// Prometheus' view of FlowShield: the three processes run as an operator runs them (the fault
// stack: separate processes configured by the README's variables), and their /metrics are
// scraped before and after what the test does, as Prometheus would.

jest.setTimeout(180_000);

const stack = useFaultStack("metrics");
beforeAll(async () => {
  // The worker's listeners are up once it polls (the stack waits for the services' health only).
  await waitUntil(async () => (await scrape(stack().metricsUrls.worker).catch(() => undefined)) !== undefined, 60_000, 250);
}, 60_000);

const scrapeAll = async () => ({
  auth: await scrape(stack().metricsUrls.auth),
  profile: await scrape(stack().metricsUrls.profile),
  worker: await scrape(stack().metricsUrls.worker),
});
const rpc = (service: string, method: string, code: string) => ({ service: `flowshield.${service}`, method, code });
const finished = (worker: Scrape, outcome: string) =>
  worker.value("flowshield_registrations_finished_total", { outcome, workflowType: "registrationWorkflow" });

test("a registration moves auth's, profile's and the worker's counters", async () => {
  const before = await scrapeAll();
  const attempt = await registerOnce(stack().authClient);
  expect(attempt.outcome).toBe("ok");
  // The worker's count is written when the workflow's last task completes, just after Register's answer.
  let after = await scrapeAll();
  await waitUntil(
    async () => finished((after = await scrapeAll()).worker, "succeeded") > finished(before.worker, "succeeded"),
    10_000,
    200,
  );

  const moved = (side: "auth" | "profile" | "worker", name: string, labels: Record<string, string> = {}) =>
    after[side].value(name, labels) - before[side].value(name, labels);
  expect(moved("auth", "flowshield_registrations_started_total")).toBe(1);
  expect(moved("auth", "flowshield_rpc_server_handled_total", rpc("auth.v1.AuthService", "Register", "OK"))).toBe(1);
  expect(
    moved("auth", "flowshield_rpc_server_handling_seconds_count", { service: "flowshield.auth.v1.AuthService", method: "Register" }),
  ).toBe(1);
  // The saga's steps, on the internal listeners.
  expect(moved("auth", "flowshield_rpc_server_handled_total", rpc("auth.v1.UserAdminService", "CreateUser", "OK"))).toBe(1);
  expect(moved("auth", "flowshield_rpc_server_handled_total", rpc("auth.v1.UserAdminService", "ActivateUser", "OK"))).toBe(1);
  expect(moved("profile", "flowshield_rpc_server_handled_total", rpc("profile.v1.ProfileAdminService", "CreateProfile", "OK"))).toBe(1);
  expect(moved("worker", "flowshield_registrations_finished_total", { outcome: "succeeded" })).toBe(1);
  expect(moved("worker", "flowshield_registrations_finished_total", { outcome: "compensated" })).toBe(0);
  // The Temporal SDK's own metrics, served on the same port.
  expect(after.worker.value("flowshield_worker_sdk_metrics_up")).toBe(1);
  expect(moved("worker", "temporal_workflow_completed_total", { workflow_type: "registrationWorkflow" })).toBe(1);
  expect(moved("worker", "temporal_local_activity_execution_latency_seconds_count", { activity_type: "createProfile" })).toBe(1);
  // The pools, and the runtime.
  for (const [side, database] of [
    ["auth", "auth"],
    ["profile", "profile"],
  ] as const) {
    expect([database, after[side].value("flowshield_db_pool_max", { database })]).toEqual([database, 10]);
    // Open connections, idle or busy at the moment of the scrape (the readiness checks query every 500 ms).
    expect(after[side].value("flowshield_db_pool_connections", { database })).toBeGreaterThan(0);
    expect(after[side].has("flowshield_db_pool_waiting")).toBe(true);
  }
  for (const side of ["auth", "profile", "worker"] as const)
    expect([side, after[side].has("nodejs_heap_size_used_bytes")]).toEqual([side, true]);
});

test("refusals are counted by their code, and the limit that refused", async () => {
  const before = await scrape(stack().metricsUrls.auth);
  const bad = await outcomeOf(
    stack().authClient.register({ email: "not an email", password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "x" }),
  );
  expect(bad.code).toBe(Code.InvalidArgument);
  const email = uniqueEmail();
  for (let i = 0; i < 6; i++) await outcomeOf(stack().authClient.resendVerificationEmail({ email }));
  const after = await scrape(stack().metricsUrls.auth);
  const moved = (name: string, labels: Record<string, string>) => after.value(name, labels) - before.value(name, labels);
  expect(moved("flowshield_rpc_server_handled_total", rpc("auth.v1.AuthService", "Register", "INVALID_ARGUMENT"))).toBe(1);
  // Five resends an hour per email (README, "Brute-force and abuse protection"): the sixth is refused.
  expect(moved("flowshield_rpc_server_handled_total", rpc("auth.v1.AuthService", "ResendVerificationEmail", "RESOURCE_EXHAUSTED"))).toBe(1);
  expect(moved("flowshield_rate_limit_refusals_total", { limit: "resend_email" })).toBe(1);
});

test("a compensation retried while auth is down is counted, then the saga's compensated end", async () => {
  const temporal = new Client({ connection: await Connection.connect({ address: stack().temporalAddress }) });
  const email = uniqueEmail();
  try {
    // The saga stops at createProfile (profile is down) with the user made...
    await stack().profile.stop("SIGTERM");
    const register = outcomeOf(
      stack().authClient.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "x" }, { timeoutMs: 60_000 }),
    );
    await waitUntil(async () => (await readAccounts(stack())).users.has(email), 30_000, 200);
    // ... auth goes down too, and the registration is cancelled: its compensation, deleteUser,
    // fails until auth is back.
    const before = await scrape(stack().metricsUrls.worker);
    await stack().auth.stop("SIGTERM");
    await register;
    // The one registration running on this stack.
    const running: string[] = [];
    for await (const w of temporal.workflow.list({ query: "WorkflowType = 'registrationWorkflow' AND ExecutionStatus = 'Running'" }))
      running.push(w.workflowId);
    expect(running.length).toBe(1);
    await temporal.workflow.getHandle(running[0]!).cancel();
    const retries = (s: Scrape) => s.value("flowshield_compensation_retries_total", { step: "deleteUser" });
    await waitUntil(async () => retries(await scrape(stack().metricsUrls.worker)) > retries(before), 30_000, 200);
    await stack().auth.start();
    let after = before;
    await waitUntil(
      async () => finished((after = await scrape(stack().metricsUrls.worker)), "compensated") > finished(before, "compensated"),
      60_000,
      250,
    );
    expect(finished(after, "compensated") - finished(before, "compensated")).toBe(1);
    expect(finished(after, "succeeded") - finished(before, "succeeded")).toBe(0);
    expect(retries(after) - retries(before)).toBeGreaterThanOrEqual(1);
    expect((await readAccounts(stack())).users.has(email)).toBe(false);
  } finally {
    for (const service of [stack().auth, stack().profile]) if (service.pid() === undefined) await service.start();
    await temporal.connection.close();
  }
});

// Last: a counter appears only once something has been counted — a retried compensation has
// been by the test above; a refusal is made here (auth was restarted since the one above).
test("every metric the dashboard and the alerts name is one the processes export", async () => {
  const email = uniqueEmail();
  for (let i = 0; i < 6; i++) await outcomeOf(stack().authClient.resendVerificationEmail({ email }));
  const exported = new Set<string>();
  for (const url of Object.values(stack().metricsUrls)) {
    const text = await (await fetch(url)).text();
    for (const { name } of parseExposition(text)) exported.add(name);
  }
  // `up` is Prometheus' own, per target.
  const named = new Set(monitoringQueries().flatMap((q) => parseQuery(q.expr).metrics));
  expect([...named].filter((name) => name !== "up" && !exported.has(name))).toEqual([]);
  expect(named.size).toBeGreaterThan(10);
});
