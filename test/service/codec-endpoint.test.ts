import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Client as TemporalClient, Connection } from "@temporalio/client";
import { EncryptionCodec } from "@flowshield/common/temporal/payload-codec";
import { temporalCli } from "../../scripts/temporal-cli";
import { GOOD_PASSWORD, OPERATOR_CREDENTIAL, testEnv, uniqueEmail, uniqueUsername } from "../support/env";
import { useFullStack } from "../support/stack";

jest.setTimeout(60_000);

// The payload codec endpoint on the auth service's operator-tools listener, called as the Temporal
// CLI and the Web UI call it.
const stack = useFullStack();
const endpoint = () => `${stack().auth.operatorToolsUrl!}/codec`;
let workflowId: string;
let email: string;
let encryptedInput: { metadata?: Record<string, string>; data?: string };

beforeAll(async () => {
  email = uniqueEmail();
  workflowId = (await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Codec" }))
    .workflowId;
  const connection = await Connection.connect({ address: testEnv.temporalAddress() });
  try {
    const history = await new TemporalClient({ connection }).workflow.getHandle(workflowId).fetchHistory();
    const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    encryptedInput = {
      metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString("base64")])),
      data: Buffer.from(payload.data!).toString("base64"),
    };
  } finally {
    await connection.close();
  }
});

function decode(headers: Record<string, string>) {
  return fetch(`${endpoint()}/decode`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-namespace": "default", ...headers },
    body: JSON.stringify({ payloads: [encryptedInput] }),
  });
}

test("operators get the decoded input of a registration; everyone else 401", async () => {
  const decoded = await decode({ authorization: `Bearer ${OPERATOR_CREDENTIAL}` });
  expect(decoded.status).toBe(200);
  const { payloads } = (await decoded.json()) as { payloads: Array<{ data: string }> };
  expect(Buffer.from(payloads[0]!.data, "base64").toString()).toContain(email);

  const strangers: Array<Record<string, string>> = [
    {},
    { authorization: "Bearer not-the-operator-credential-at-all-0000" },
    { cookie: "flowshield_operator=guess" },
  ];
  for (const headers of strangers) {
    const refused = await decode(headers);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain(email);
  }
});

test("the login form sets the cookie the Web UI then sends; a wrong credential sets none", async () => {
  const login = (credential: string) =>
    fetch(`${endpoint()}/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ credential }),
    });
  const wrong = await login("wrong");
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get("set-cookie")).toBeNull();
  const right = await login(OPERATOR_CREDENTIAL);
  const cookie = right.headers.get("set-cookie")!;
  expect(cookie).toMatch(/HttpOnly/);
  expect((await decode({ cookie: cookie.split(";")[0]! })).status).toBe(200);
});

test("CORS answers the Web UI's origin only, with credentials", async () => {
  const preflight = (origin: string) =>
    fetch(`${endpoint()}/decode`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-namespace" },
    });
  const ui = await preflight("http://localhost:8233");
  expect(ui.headers.get("access-control-allow-origin")).toBe("http://localhost:8233");
  expect(ui.headers.get("access-control-allow-credentials")).toBe("true");
  expect(ui.headers.get("access-control-allow-headers")).toContain("x-namespace");
  expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
});

test("encode and decode are inverse, and garbage is a 400", async () => {
  const headers = { "content-type": "application/json", authorization: `Bearer ${OPERATOR_CREDENTIAL}` };
  const plain = { metadata: { encoding: Buffer.from("json/plain").toString("base64") }, data: Buffer.from('"hello"').toString("base64") };
  const encoded = (await (
    await fetch(`${endpoint()}/encode`, { method: "POST", headers, body: JSON.stringify({ payloads: [plain] }) })
  ).json()) as { payloads: unknown[] };
  const decoded = (await (await fetch(`${endpoint()}/decode`, { method: "POST", headers, body: JSON.stringify(encoded) })).json()) as {
    payloads: unknown[];
  };
  expect(decoded.payloads).toEqual([plain]);
  expect((await fetch(`${endpoint()}/decode`, { method: "POST", headers, body: "{not json" })).status).toBe(400);
  const foreign = (
    await new EncryptionCodec([{ id: "foreign", key: Buffer.alloc(32, 1) }]).encode([{ metadata: {}, data: Buffer.from("x") }])
  )[0]!;
  const body = JSON.stringify({
    payloads: [
      {
        metadata: {
          encoding: Buffer.from(foreign.metadata!.encoding!).toString("base64"),
          "encryption-key-id": Buffer.from("foreign").toString("base64"),
        },
        data: Buffer.from(foreign.data!).toString("base64"),
      },
    ],
  });
  expect((await fetch(`${endpoint()}/decode`, { method: "POST", headers, body })).status).toBe(400);
});

test("the Temporal CLI shows the history decoded through the endpoint, and ciphertext without the credential", async () => {
  const show = (extra: string[]) =>
    promisify(execFile)(temporalCli(), [
      "workflow",
      "show",
      "--workflow-id",
      workflowId,
      "--address",
      testEnv.temporalAddress(),
      "--output",
      "json",
      "--codec-endpoint",
      endpoint(),
      ...extra,
    ]);
  // With --output json the CLI prints each payload as it came back from the codec: base64 data.
  const startedInput = (stdout: string) => {
    const input = (
      JSON.parse(stdout) as {
        events: Array<{
          workflowExecutionStartedEventAttributes?: { input: { payloads: Array<{ metadata: { encoding: string }; data: string }> } };
        }>;
      }
    ).events[0]!.workflowExecutionStartedEventAttributes!.input.payloads[0]!;
    return { encoding: Buffer.from(input.metadata.encoding, "base64").toString(), data: Buffer.from(input.data, "base64").toString() };
  };
  const opened = startedInput((await show(["--codec-auth", `Bearer ${OPERATOR_CREDENTIAL}`])).stdout);
  expect(opened.encoding).toBe("json/plain");
  expect(opened.data).toContain(email);
  // Without the credential the endpoint answers 401: the CLI fails, or shows the ciphertext.
  const refused = await show([]).then(
    (r) => startedInput(r.stdout),
    (err: { stderr?: string }) => ({ encoding: "refused", data: err.stderr ?? "" }),
  );
  expect(["binary/encrypted", "refused"]).toContain(refused.encoding);
  expect(refused.data).not.toContain(email);
});
