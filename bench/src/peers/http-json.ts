// The one HTTP client the peer comparison drives FlowShield and the peers with: HTTP/1.1 with
// kept-alive connections (one per call in flight), JSON or form bodies, JSON answers. Node's own
// http module, so no client library's overhead lands on one side only.
import * as http from "node:http";

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export interface HttpJson {
  get(path: string): Promise<Answer>;
  post(path: string, body: { json: unknown } | { form: Record<string, string> }, headers?: Record<string, string>): Promise<Answer>;
  close(): void;
}

export function httpJson(baseUrl: string, connections: number): HttpJson {
  const target = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const request = (method: string, path: string, payload: Buffer | undefined, headers: Record<string, string>) =>
    new Promise<Answer>((resolve, reject) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path,
          method,
          agent,
          headers: { accept: "application/json", ...headers, ...(payload !== undefined ? { "content-length": payload.length } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            try {
              resolve({ status: res.statusCode ?? 0, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) });
            } catch {
              reject(new Error(`${method} ${path}: HTTP ${res.statusCode} answered no JSON: ${text.slice(0, 200)}`));
            }
          });
          res.on("error", reject);
        },
      );
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.on("error", reject);
      req.end(payload);
    });
  return {
    get: (path) => request("GET", path, undefined, {}),
    post: (path, body, headers = {}) =>
      "json" in body
        ? request("POST", path, Buffer.from(JSON.stringify(body.json)), { "content-type": "application/json", ...headers })
        : request("POST", path, Buffer.from(new URLSearchParams(body.form).toString()), {
            "content-type": "application/x-www-form-urlencoded",
            ...headers,
          }),
    close: () => agent.destroy(),
  };
}

// An answer with another status fails the call, named by what was asked and the status.
export function expectStatus(answer: Answer, status: number, what: string): Record<string, unknown> {
  if (answer.status !== status)
    throw new HttpCallError(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`, `HTTP_${answer.status}`);
  return answer.body;
}

// The closed loop counts failures by the error's name: the status, not the message.
export class HttpCallError extends Error {
  constructor(message: string, name: string) {
    super(message);
    this.name = name;
  }
}

// client_secret_basic (RFC 6749 2.3.1: id and secret form-encoded before base64).
export function basicAuthorization(clientId: string, clientSecret: string): Record<string, string> {
  return {
    authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`,
  };
}
