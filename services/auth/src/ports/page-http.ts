import type { IncomingMessage, ServerResponse } from "node:http";

// What the hosted pages (the provider's interaction pages, the account console) share of plain
// HTTP: an answer over HTTP/1.1 or HTTP/2 alike, a bounded form, a cookie.

const MAX_FORM_BYTES = 16 * 1024;

export function respond(res: unknown, status: number, headers: Record<string, string | string[]>, body: string): void {
  const writable = res as Pick<ServerResponse, "writeHead" | "end">;
  writable.writeHead(status, headers);
  writable.end(body);
}

// A urlencoded form of at most MAX_FORM_BYTES (undefined when larger).
export async function readForm(req: unknown): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

// A cookie the request carries, by name.
export function cookieOf(req: Pick<IncomingMessage, "headers">, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
