import type { ServerResponse } from "node:http";
import { readBody } from "@flowshield/common/runtime/http-request";

// What the hosted pages (the provider's interaction pages, the account console) share of plain
// HTTP: an answer over HTTP/1.1 or HTTP/2 alike, and a bounded form.

const MAX_FORM_BYTES = 16 * 1024;

export function respond(res: unknown, status: number, headers: Record<string, string | string[]>, body: string): void {
  const writable = res as Pick<ServerResponse, "writeHead" | "end">;
  writable.writeHead(status, headers);
  writable.end(body);
}

// Aborts when the browser goes away before its answer is written: a use case stops waiting.
export function abandonedSignal(res: unknown): AbortSignal {
  const writable = res as Pick<ServerResponse, "once" | "writableFinished">;
  const left = new AbortController();
  writable.once("close", () => {
    if (!writable.writableFinished) left.abort();
  });
  return left.signal;
}

// A urlencoded form of at most MAX_FORM_BYTES (undefined when larger).
export async function readForm(req: unknown): Promise<URLSearchParams | undefined> {
  const text = await readBody(req, MAX_FORM_BYTES);
  return text === undefined ? undefined : new URLSearchParams(text);
}
