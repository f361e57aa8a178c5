import { circuitBreaker, ConsecutiveBreaker, handleAll, timeout, TimeoutStrategy, wrap } from "cockatiel";
import type { ExternalScorer, ScorerInput } from "../app/dependencies";

// The optional external scorer — the seed product's "AI" half of a hybrid: an OpenAI-compatible
// chat endpoint (Ollama's /v1 API, or any other), asked for a risk score from the signals alone
// (reason codes, the rules' score, whether the network hosts servers, the country): never an
// email, a password or an address. Its answer may raise the rules' score, never lower it
// (risk/domain/score.ts). It is held to a hard time budget (the sign-in waits at most that long)
// and behind a circuit breaker (five failures in a row — an error, a timeout, an answer that is
// not a score — and it is not asked for 30 s), through cockatiel. Off unless RISK_SCORER_URL is set.
export interface ExternalScorerOptions {
  // The API's base, e.g. http://localhost:11434/v1 (Ollama); POST {url}/chat/completions.
  url: string;
  model: string;
  apiKey?: string;
  budgetMs: number;
  // Failures (consecutive) that open the breaker, and how long it stays open.
  breakAfter?: number;
  halfOpenAfterMs?: number;
  onFailure?: (err: unknown) => void;
}

const INSTRUCTIONS =
  "You score the fraud risk of a sign-in or registration to an identity service from its signals. " +
  'Answer with JSON only: {"score": <a number from 0 (surely honest) to 1 (surely an attack)>}.';

export function createExternalScorer(options: ExternalScorerOptions): ExternalScorer {
  const breaker = circuitBreaker(handleAll, {
    halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
    breaker: new ConsecutiveBreaker(options.breakAfter ?? 5),
  });
  const policy = wrap(breaker, timeout(options.budgetMs, TimeoutStrategy.Aggressive));
  const endpoint = `${options.url.replace(/\/+$/, "")}/chat/completions`;

  async function ask(input: ScorerInput, signal: AbortSignal): Promise<number> {
    const res = await fetch(endpoint, {
      method: "POST",
      signal,
      headers: {
        "content-type": "application/json",
        ...(options.apiKey !== undefined ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: options.model,
        temperature: 0,
        stream: false,
        response_format: { type: "json_object" },
        messages: [
          { role: "system", content: INSTRUCTIONS },
          { role: "user", content: JSON.stringify(input) },
        ],
      }),
    });
    if (!res.ok) throw new Error(`the external scorer answered HTTP ${res.status}`);
    return scoreFromCompletion(await res.json());
  }

  return {
    async score(input) {
      try {
        return await policy.execute(({ signal }) => ask(input, signal));
      } catch (err) {
        // A broken circuit, a timeout, an error or an answer that made no sense: the rules decide.
        options.onFailure?.(err);
        return undefined;
      }
    },
  };
}

// The score in a chat completion's first message: {"score": n} (or a bare number), 0–1. Anything
// else throws, and counts against the breaker.
export function scoreFromCompletion(body: unknown): number {
  const content = (body as { choices?: Array<{ message?: { content?: unknown } }> } | null)?.choices?.[0]?.message?.content;
  if (typeof content !== "string") throw new Error("the external scorer's answer has no message");
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.trim());
  } catch {
    throw new Error("the external scorer's answer is not JSON");
  }
  const score = typeof parsed === "number" ? parsed : (parsed as { score?: unknown } | null)?.score;
  if (typeof score !== "number" || !(score >= 0 && score <= 1)) throw new Error("the external scorer's answer is not a score from 0 to 1");
  return score;
}

// No external scorer (the default): the rules alone decide.
export const NO_EXTERNAL_SCORER: ExternalScorer = { score: async () => undefined };
