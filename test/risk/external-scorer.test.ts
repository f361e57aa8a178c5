import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { clientAt as proxiedClient } from "../support/client-at";
import { GOOD_PASSWORD, uniqueSuffix, uniqueUsername } from "../support/env";
import { quietLog, testAuthConfig, useFullStack } from "../support/stack";

// The optional external scorer (RISK_SCORER_URL) in a running auth service, against a local HTTP
// server that speaks the OpenAI chat-completions protocol (no model runs here): slow, failing or
// answering garbage, it changes no decision and holds a sign-in up no longer than its budget;
// answering, it can raise a score but never lower it; it is never told an email or an address.
// Its breaker and parsing are unit-tested in services/auth/src/risk/adapters/external-scorer.test.ts.

jest.setTimeout(120_000);

const stack = useFullStack();
const BUDGET_MS = 300;

let scorer: Server;
let answer: () => Promise<{ status: number; content: string }>;
const asked: string[] = [];
let auth: RunningAuthService;

beforeAll(async () => {
  scorer = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      asked.push(body);
      void answer().then(({ status, content }) => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content } }] }));
      });
    });
  });
  await new Promise<void>((resolve) => scorer.listen(0, "127.0.0.1", resolve));
  auth = await startAuthService(
    testAuthConfig({
      taskQueue: stack().taskQueue,
      riskEngine: true,
      trustedProxies: "127.0.0.1, ::1",
      riskScorer: { url: `http://127.0.0.1:${(scorer.address() as AddressInfo).port}/v1`, model: "test-model", budgetMs: BUDGET_MS },
    }),
    quietLog,
  );
});
afterAll(async () => {
  await auth?.close();
  scorer.closeAllConnections();
  await new Promise((resolve) => scorer.close(resolve));
});

const clientAt = (ip: string, deviceId: string) => proxiedClient(auth.publicUrl, ip, deviceId);

// An account registered at home on its laptop; each sign-in below is from a new phone (the rules
// alone: NEW_DEVICE, 0.3, notify).
async function account() {
  const home = `91.64.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
  const email = `grace.hopper@${uniqueSuffix()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}.example.com`;
  await clientAt(home, `laptop-${uniqueSuffix()}`).register({
    email,
    password: GOOD_PASSWORD,
    username: uniqueUsername(),
    displayName: "Grace",
  });
  return { email, home };
}

async function signInFromNewPhone(): Promise<{
  ms: number;
  detail: { decision: string; score: number; reasons: string[] };
  email: string;
  home: string;
}> {
  const { email, home } = await account();
  const started = performance.now();
  const login = await clientAt(home, `phone-${uniqueSuffix()}`).login({ email, password: GOOD_PASSWORD });
  const ms = performance.now() - started;
  expect(login.accessToken).not.toBe("");
  const user = await stack().userAdmin.getUser({ id: JSON.parse(atob(login.accessToken.split(".")[1]!)).sub });
  const { events } = await stack().userAdmin.listAuditEvents({ userId: user.user!.id, type: "risk_assessed" });
  const detail = events
    .map((e) => JSON.parse(e.detail) as { subject: string; decision: string; score: number; reasons: string[] })
    .find((d) => d.subject === "login")!;
  return { ms, detail, email, home };
}

const RULES_ALONE = { decision: "notify", score: 0.3, reasons: ["NEW_DEVICE"] };

test("slow: the sign-in waits no longer than the budget, and the rules decide", async () => {
  answer = () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, content: '{"score": 0.99}' }), 10_000).unref());
  const { ms, detail } = await signInFromNewPhone();
  expect(detail).toMatchObject(RULES_ALONE);
  // The budget (300 ms) and a sign-in's own work at bcrypt cost 4, with room for a loaded machine;
  // far below the scorer's ten seconds.
  expect(ms).toBeLessThan(5_000);
});

test("failing (HTTP 500) or answering garbage: the rules decide", async () => {
  answer = async () => ({ status: 500, content: "" });
  expect((await signInFromNewPhone()).detail).toMatchObject(RULES_ALONE);
  answer = async () => ({ status: 200, content: "I would say it looks fine, maybe 0.1?" });
  expect((await signInFromNewPhone()).detail).toMatchObject(RULES_ALONE);
});

test("answering lower than the rules: ignored; higher: it raises the score, and says so", async () => {
  answer = async () => ({ status: 200, content: '{"score": 0.0}' });
  expect((await signInFromNewPhone()).detail).toMatchObject(RULES_ALONE);
  answer = async () => ({ status: 200, content: '{"score": 0.7}' });
  expect((await signInFromNewPhone()).detail).toMatchObject({
    decision: "step_up",
    score: 0.7,
    reasons: ["NEW_DEVICE", "EXTERNAL_SCORER"],
  });
});

test("it is told the signals, never the email or the address", async () => {
  answer = async () => ({ status: 200, content: '{"score": 0.1}' });
  asked.length = 0;
  const { email, home } = await signInFromNewPhone();
  expect(asked).toHaveLength(1);
  const sent = JSON.parse(JSON.parse(asked[0]!).messages[1].content);
  expect(sent).toEqual({ subject: "login", reasons: ["NEW_DEVICE"], score: 0.3, hostingNetwork: false, country: "DE" });
  expect(asked[0]).not.toContain(email);
  expect(asked[0]).not.toContain(home);
});
