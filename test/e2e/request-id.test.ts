import { Writable } from "node:stream";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createLogger } from "@flowshield/common/observability/logger";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { startAuthService } from "@flowshield/auth/server";
import { temporalLoggerFor } from "@flowshield/workflows/sdk-logger";
import { GOOD_PASSWORD, uniqueEmail, uniqueSuffix, uniqueUsername } from "../support/env";
import { startWorker, testAuthConfig, startTestProfile, workerActivities, testMailServer, testMailSettings } from "../support/stack";

jest.setTimeout(60_000);

function capture(): { lines: () => Array<Record<string, unknown>>; sink: Writable } {
  const chunks: string[] = [];
  return {
    sink: new Writable({ write: (chunk, _enc, cb) => (chunks.push(String(chunk)), cb()) }),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

// One request id from the caller's Register, through the workflow and its activities, to the
// internal RPCs on both services, on every log line of the journey.
test("a Register's request id reaches the workflow's internal calls on both services", async () => {
  const authLog = capture();
  const profileLog = capture();
  const mail = await testMailServer();
  const config = testAuthConfig({ mail: testMailSettings(mail.url) });
  const auth = await startAuthService(config, createLogger("auth", "info", authLog.sink));
  const profile = await startTestProfile(auth.publicUrl, { log: createLogger("profile", "info", profileLog.sink) });
  const worker = await startWorker(config.taskQueue, workerActivities({ auth, profile }, mail.url));
  try {
    const requestId = `trace-${uniqueSuffix()}`;
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
    let echoed: string | null = null;
    await client.register(
      { email: uniqueEmail(), password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Traced" },
      { headers: { "x-request-id": requestId }, onHeader: (h) => (echoed = h.get("x-request-id")) },
    );
    expect(echoed).toBe(requestId);
    const idOf = (lines: Array<Record<string, unknown>>, method: string) => lines.find((l) => l.method === method)?.requestId;
    expect(idOf(authLog.lines(), "flowshield.auth.v1.AuthService/Register")).toBe(requestId);
    expect(idOf(authLog.lines(), "flowshield.auth.v1.UserAdminService/CreateUser")).toBe(requestId);
    expect(idOf(profileLog.lines(), "flowshield.profile.v1.ProfileAdminService/CreateProfile")).toBe(requestId);

    // A malformed request id is replaced, never logged as given.
    const hostile = 'not a {valid} id; "quoted"';
    await client.login({ email: uniqueEmail(), password: GOOD_PASSWORD }, { headers: { "x-request-id": hostile } }).catch(() => undefined);
    const login = authLog.lines().find((l) => l.method === "flowshield.auth.v1.AuthService/Login");
    expect(login?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  } finally {
    await worker.stop();
    await profile.close();
    await auth.close();
  }
});

test("the Temporal SDK's log lines come out as the project's JSON, with their metadata", () => {
  const out = capture();
  temporalLoggerFor(createLogger("worker", "info", out.sink)).warn("Worker state changed", { taskQueue: "q", state: "DRAINING" });
  expect(out.lines()).toEqual([
    expect.objectContaining({ level: 40, name: "worker", msg: "Worker state changed", taskQueue: "q", state: "DRAINING", temporal: true }),
  ]);
});
