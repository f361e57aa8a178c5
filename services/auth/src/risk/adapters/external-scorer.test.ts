import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createExternalScorer, scoreFromCompletion } from "./external-scorer";
import type { ScorerInput } from "../app/dependencies";

// The external scorer against a local HTTP server that speaks the OpenAI chat-completions
// protocol (as Ollama's /v1 does); no model runs here. Its behaviour is set per test.

let server: Server;
let url: string;
let behave: (body: { messages: Array<{ role: string; content: string }>; model: string }) => Promise<{ status: number; content?: string }>;
const received: Array<{ authorization?: string; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}), body });
      if (req.url !== "/v1/chat/completions" || req.method !== "POST") {
        res.writeHead(404).end();
        return;
      }
      void behave(JSON.parse(body) as Parameters<typeof behave>[0]).then(({ status, content }) => {
        if (res.destroyed) return;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ id: "chatcmpl-1", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content } }] }),
        );
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
});

const input: ScorerInput = { subject: "login", reasons: ["NEW_DEVICE"], score: 0.3, hostingNetwork: false, country: "DE" };
const answering =
  (content: string, status = 200) =>
  async () => ({ status, content });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

test("it asks with the signals only — reason codes, the score, the network's kind, the country — and reads the score", async () => {
  behave = answering('{"score": 0.82}');
  const scorer = createExternalScorer({ url, model: "llama3.2", apiKey: "k-123", budgetMs: 1_000 });
  expect(await scorer.score(input)).toBe(0.82);
  const sent = JSON.parse(received[0]!.body) as { model: string; messages: Array<{ content: string }> };
  expect(sent.model).toBe("llama3.2");
  expect(JSON.parse(sent.messages[1]!.content)).toEqual(input);
  expect(received[0]!.authorization).toBe("Bearer k-123");
});

test("an answer that is not a score from 0 to 1 is no answer", async () => {
  const scorer = createExternalScorer({ url, model: "m", budgetMs: 1_000, breakAfter: 100 });
  for (const content of ["", "0.9 I think", '{"score": "high"}', '{"score": 1.5}', '{"score": -0.1}', "[0.9]", '{"risk": 0.9}']) {
    behave = answering(content);
    expect(await scorer.score(input)).toBeUndefined();
  }
  behave = answering("0.4");
  expect(await scorer.score(input)).toBe(0.4);
  behave = answering('{"score": 0.9}', 500);
  expect(await scorer.score(input)).toBeUndefined();
});

test("a slow scorer is not waited for past the budget, and its request is abandoned", async () => {
  let finished = false;
  behave = async () => {
    await sleep(10_000);
    finished = true;
    return { status: 200, content: '{"score": 0.99}' };
  };
  const failures: unknown[] = [];
  const scorer = createExternalScorer({ url, model: "m", budgetMs: 200, onFailure: (err) => failures.push(err) });
  const started = performance.now();
  expect(await scorer.score(input)).toBeUndefined();
  // The budget, plus scheduling on a loaded machine: far below the scorer's ten seconds.
  expect(performance.now() - started).toBeLessThan(5_000);
  expect(finished).toBe(false);
  expect(failures).toHaveLength(1);
});

test("five failures in a row open the breaker: it is not asked again until it may half-open, and one good answer closes it", async () => {
  behave = answering("", 503);
  const scorer = createExternalScorer({ url, model: "m", budgetMs: 500, breakAfter: 5, halfOpenAfterMs: 400 });
  for (let i = 0; i < 5; i++) expect(await scorer.score(input)).toBeUndefined();
  expect(received).toHaveLength(5);
  behave = answering('{"score": 0.7}');
  // Open: answered at once, without a request.
  expect(await scorer.score(input)).toBeUndefined();
  expect(received).toHaveLength(5);
  await sleep(500);
  // Half-open: one request, which succeeds and closes it.
  expect(await scorer.score(input)).toBe(0.7);
  expect(await scorer.score(input)).toBe(0.7);
  expect(received).toHaveLength(7);
});

test("nobody listening: no answer, quickly", async () => {
  const scorer = createExternalScorer({ url: "http://127.0.0.1:9/v1", model: "m", budgetMs: 1_000 });
  expect(await scorer.score(input)).toBeUndefined();
});

test("parsing: the first message's content, as JSON", () => {
  expect(scoreFromCompletion({ choices: [{ message: { content: ' {"score":0.25} ' } }] })).toBe(0.25);
  expect(scoreFromCompletion({ choices: [{ message: { content: "1" } }] })).toBe(1);
  for (const body of [null, {}, { choices: [] }, { choices: [{ message: { content: 3 } }] }])
    expect(() => scoreFromCompletion(body)).toThrow();
});
