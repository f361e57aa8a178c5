import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import type { Payload, PayloadCodec } from "@temporalio/common";
import { cookieOf, readBody } from "../runtime/http-request";
import type { HttpHandler, HttpMount } from "../runtime/listener";
import { matchesSecret, sha256 } from "../crypto/secret-digest";

// Temporal's remote codec protocol (POST <endpoint>/decode and /encode, JSON `{"payloads": [...]}`
// with base64 metadata values and data), so that the Temporal Web UI and `temporal workflow show
// --codec-endpoint` show operators decoded payloads. Only operators: a call must carry the
// operator credential, as `authorization: Bearer <credential>` (the CLI's --codec-auth, or a UI
// that passes its access token) or as the cookie GET /codec/login sets after the credential is
// typed into its form (the Web UI's "include cross-origin credentials"). Everyone else gets 401
// and sees ciphertext.

export const CODEC_PREFIX = "/codec";
const COOKIE = "flowshield_operator";
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface CodecEndpointOptions {
  codec: PayloadCodec;
  operatorCredential: string;
  // Origins whose pages may call the endpoint from a browser: the Temporal Web UI's.
  allowedOrigins: string[];
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

type Request = IncomingMessage | Http2ServerRequest;
type Response = Parameters<HttpHandler>[1];

function send(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

// The body, refused (and answered 400) past MAX_BODY_BYTES.
async function bodyOf(req: Request): Promise<string> {
  const text = await readBody(req, MAX_BODY_BYTES);
  if (text === undefined) throw new RangeError("body too large");
  return text;
}

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64")])),
    data: Buffer.from(p.data ?? "", "base64"),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString("base64")])),
    data: Buffer.from(p.data ?? []).toString("base64"),
  };
}

function parsePayloads(text: string): Payload[] | undefined {
  try {
    const body = JSON.parse(text) as { payloads?: unknown };
    if (!Array.isArray(body.payloads)) return undefined;
    return (body.payloads as JsonPayload[]).map(fromJson);
  } catch {
    return undefined;
  }
}

const LOGIN_FORM = `<!doctype html><meta charset="utf-8"><title>FlowShield payload codec</title>
<form method="post"><label>Operator credential <input type="password" name="credential" autofocus></label>
<button>Sign in</button></form>
<p>Then, in the Temporal Web UI's codec settings, turn on "include cross-origin credentials".</p>`;

export function codecEndpoint(options: CodecEndpointOptions): HttpMount {
  const expected = sha256(options.operatorCredential);
  const isOperator = (req: Request): boolean => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const cookie = cookieOf(req, COOKIE);
    const given = bearer ?? (cookie !== undefined ? decodeURIComponent(cookie) : undefined);
    return given !== undefined && matchesSecret(given, expected);
  };

  const handler: HttpHandler = (req, res) => {
    const origin = req.headers.origin;
    const cors: Record<string, string> =
      origin !== undefined && options.allowedOrigins.includes(origin)
        ? {
            "access-control-allow-origin": origin,
            "access-control-allow-credentials": "true",
            "access-control-allow-methods": "POST, OPTIONS",
            "access-control-allow-headers": "authorization, content-type, x-namespace",
            vary: "origin",
          }
        : {};
    const path = (req.url ?? "").split("?")[0];
    void (async () => {
      if (req.method === "OPTIONS") {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      if (path === `${CODEC_PREFIX}/login`) {
        if (req.method === "POST") {
          const credential = new URLSearchParams(await bodyOf(req)).get("credential") ?? "";
          if (!matchesSecret(credential, expected)) return send(res, 401, { message: "wrong operator credential" });
          res.writeHead(200, {
            "content-type": "text/plain",
            "set-cookie": `${COOKIE}=${encodeURIComponent(credential)}; Path=${CODEC_PREFIX}; HttpOnly; SameSite=Strict; Max-Age=43200`,
          });
          res.end("signed in: the Temporal Web UI can now decode payloads for 12 hours\n");
          return;
        }
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(LOGIN_FORM);
        return;
      }
      const operation = path === `${CODEC_PREFIX}/decode` ? "decode" : path === `${CODEC_PREFIX}/encode` ? "encode" : undefined;
      if (operation === undefined) return send(res, 404, { message: "no such path" }, cors);
      if (req.method !== "POST") return send(res, 405, { message: "use POST" }, { ...cors, allow: "POST, OPTIONS" });
      if (!isOperator(req)) return send(res, 401, { message: "the operator credential is required" }, cors);
      const payloads = parsePayloads(await bodyOf(req));
      if (payloads === undefined) return send(res, 400, { message: 'the body must be {"payloads": [...]}' }, cors);
      try {
        const result = await options.codec[operation](payloads);
        send(res, 200, { payloads: result.map(toJson) }, cors);
      } catch {
        // A payload that does not decrypt (a foreign key, a damaged one): say so without details.
        send(res, 400, { message: `the payloads cannot be ${operation}d with this process's keys` }, cors);
      }
    })().catch(() => {
      if (!res.headersSent) send(res, 400, { message: "the request could not be read" }, cors);
      else res.end();
    });
  };
  return { prefix: CODEC_PREFIX, handler };
}
