import { Code, outcomeOf } from "../support/codes";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { startCollector, type CollectedSpan, type Collector } from "../support/otlp-collector";
import { waitUntil } from "../support/wait";
import { useFaultStack } from "../faults/fault-stack";

// One registration is one trace across the three processes: auth's Register → the workflow's
// start → the workflow → each saga step → the internal RPC → the database. The processes run as
// an operator runs them, tracing turned on by the standard OTEL_* variables alone, exporting
// OTLP/HTTP to a collector this test keeps in memory.

jest.setTimeout(180_000);

let collector: Collector;
beforeAll(async () => {
  collector = await startCollector();
});
afterAll(async () => {
  await collector?.close();
});
const stack = useFaultStack("traces", () => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  // Export within a fraction of a second rather than the default 5 s.
  OTEL_BSP_SCHEDULE_DELAY: "100",
}));

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

test("one registration is one trace: Register → workflow → each step → its RPC → the database", async () => {
  const res = await stack().authClient.register({
    email: uniqueEmail(),
    password: GOOD_PASSWORD,
    username: uniqueUsername(),
    displayName: "Traced",
  });
  const workflowSpan = () =>
    collector.spans.find((s) => s.name === "RunWorkflow:registrationWorkflow" && s.attributes.workflowId === res.workflowId);
  // The spans arrive in batches from three processes: wait for the first and the last.
  let trace: CollectedSpan[] = [];
  await waitUntil(
    async () => {
      const traceId = workflowSpan()?.traceId;
      trace = collector.spans.filter((s) => s.traceId === traceId);
      // The root ends last: Register answers once the saga has.
      return (
        trace.some((s) => s.name === "flowshield.auth.v1.AuthService/Register") && trace.some((s) => s.name === "RunActivity:activateUser")
      );
    },
    30_000,
    200,
  );
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const parentOf = (s: CollectedSpan) => (s.parentSpanId === undefined ? undefined : byId.get(s.parentSpanId));
  const one = (name: string, service: string, kind?: number) => {
    const found = trace.filter((s) => s.name === name && s.service === service && (kind === undefined || s.kind === kind));
    expect([name, service, found.length]).toEqual([name, service, 1]);
    return found[0]!;
  };

  // The root: auth's Register, as the client's call arrived.
  const register = one("flowshield.auth.v1.AuthService/Register", "flowshield-auth", SERVER);
  expect(register.parentSpanId).toBeUndefined();
  expect(register.attributes).toMatchObject({ "rpc.system": "grpc", "rpc.method": "Register", "rpc.grpc.status_code": 0 });
  const start = one("StartWorkflow:registrationWorkflow", "flowshield-auth");
  expect(parentOf(start)).toBe(register);
  const workflow = one("RunWorkflow:registrationWorkflow", "flowshield-worker");
  expect(parentOf(workflow)).toBe(start);

  // Each saga step: scheduled by the workflow, run by the worker, calling its service's internal
  // listener, whose handler queries its own database.
  for (const [step, service, rpc] of [
    ["createUser", "flowshield-auth", "flowshield.auth.v1.UserAdminService/CreateUser"],
    ["createProfile", "flowshield-profile", "flowshield.profile.v1.ProfileAdminService/CreateProfile"],
    ["activateUser", "flowshield-auth", "flowshield.auth.v1.UserAdminService/ActivateUser"],
  ] as const) {
    const scheduled = one(`StartActivity:${step}`, "flowshield-worker");
    expect(parentOf(scheduled)).toBe(workflow);
    const run = one(`RunActivity:${step}`, "flowshield-worker");
    expect(parentOf(run)).toBe(scheduled);
    const call = one(rpc, "flowshield-worker", CLIENT);
    expect(parentOf(call)).toBe(run);
    const served = one(rpc, service, SERVER);
    expect(parentOf(served)).toBe(call);
    const queries = trace.filter((s) => s.name.startsWith("pg.query") && parentOf(s) === served);
    expect([step, queries.length > 0, queries.every((q) => q.service === service)]).toEqual([step, true, true]);
    expect(queries[0]!.attributes["db.system"]).toBe("postgresql");
  }
  // Nothing of this registration's workflow is in another trace.
  expect(collector.spans.filter((s) => s.attributes.workflowId === res.workflowId && s.traceId !== register.traceId)).toEqual([]);
  expect(new Set(trace.map((s) => s.service))).toEqual(new Set(["flowshield-auth", "flowshield-worker", "flowshield-profile"]));
});

test("a refused call's span carries the error and its code; no secret is in any span", async () => {
  const email = uniqueEmail();
  const bad = await outcomeOf(
    stack().authClient.register({ email: "not an email", password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "x" }),
  );
  expect(bad.code).toBe(Code.InvalidArgument);
  await outcomeOf(stack().authClient.login({ email, password: GOOD_PASSWORD }));
  let refused: CollectedSpan | undefined;
  await waitUntil(
    async () =>
      (refused = collector.spans.find(
        (s) => s.name === "flowshield.auth.v1.AuthService/Register" && s.attributes["rpc.grpc.status_code"] === Code.InvalidArgument,
      )) !== undefined && collector.spans.some((s) => s.name === "flowshield.auth.v1.AuthService/Login" && s.status === ERROR),
    15_000,
    200,
  );
  expect(refused?.status).toBe(ERROR);
  // Queries are recorded as statements with their parameters apart (never sent): no password,
  // hash or token can be in a span.
  const everything = JSON.stringify(collector.spans);
  expect(everything).not.toContain(GOOD_PASSWORD);
  expect(everything).not.toContain("$2b$");
});
