import type { IncomingHttpHeaders } from "node:http";

// What a plain HTTP handler (the hosted pages, the payload codec) reads of a request, over
// HTTP/1.1 and HTTP/2 alike.

// The body as text, or undefined once it grows past maxBytes (read no further).
export async function readBody(req: unknown, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

// A cookie the request carries, by name (the first, as browsers send the most specific first).
export function cookieOf(req: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
