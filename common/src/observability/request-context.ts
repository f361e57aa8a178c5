import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { createContextKey, type Interceptor } from "@connectrpc/connect";

// What is known about the call being served: its request id — the caller's x-request-id when it
// is well-formed, else a new one — and who sent it. One request id follows a call across
// processes: auth -> the workflow it starts (a Temporal header) -> the activities -> the internal
// RPCs they make (x-request-id), and it is on every log line written while serving it.
// The peer's address as the listener saw it (a proxy's, behind one), its user agent, and over
// mutual TLS the name its client certificate gives it.
export interface Peer {
  address?: string | undefined;
  userAgent?: string | undefined;
  certificateName?: string;
}

export interface RequestContext {
  requestId: string;
  peer?: Peer;
}

export const REQUEST_ID_HEADER = "x-request-id";
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestIdFrom(given: string | null | undefined): string {
  return given !== null && given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, body: () => T): T {
  return storage.run(context, body);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

// The peer as the listener saw it, handed to handlers through Connect's context values.
export const peerKey = createContextKey<RequestContext["peer"]>(undefined, { description: "peer" });

// For clients of our internal services: the call carries the request id being served.
export function sendRequestId(): Interceptor {
  return (next) => async (req) => {
    const context = currentRequestContext();
    if (context !== undefined) req.header.set(REQUEST_ID_HEADER, context.requestId);
    return next(req);
  };
}
