import type { HandlerContext } from "@connectrpc/connect";
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { BlockList } from "node:net";
import { clientAddress } from "@flowshield/common/runtime/client-address";
import { cookieOf } from "@flowshield/common/runtime/http-request";
import { currentRequestContext, peerKey, REQUEST_ID_HEADER, requestIdFrom } from "@flowshield/common/observability/request-context";
import type { Caller } from "../../audit/domain/audit";

// For the internal listener: its callers are our own processes and operators, and no proxy is
// trusted to name another client.
export const NO_PROXIES = new BlockList();

// Longer user agents are cut: they are recorded, not trusted.
const MAX_USER_AGENT = 512;

// A device id as a client may send it (X-Device-Id, the pages' DEVICE_COOKIE): printable, at most
// 128 characters; anything else is no device id at all.
export const DEVICE_ID_HEADER = "x-device-id";
export const DEVICE_COOKIE = "fs_device";

function deviceIdOf(text: string | null | undefined): { deviceId?: string } {
  return text !== null && text !== undefined && /^[\x21-\x7e]{8,128}$/.test(text) ? { deviceId: text } : {};
}

// Who is calling, for the rate limits and the audit trail: the request id, the client's address
// (X-Forwarded-For believed only from TRUSTED_PROXIES) and user agent.
export function callerOf(ctx: HandlerContext, trustedProxies: BlockList): Caller {
  const peer = ctx.values.get(peerKey);
  return {
    requestId: currentRequestContext()?.requestId ?? "",
    ip: clientAddress(peer?.address, ctx.requestHeader.get("x-forwarded-for"), trustedProxies),
    userAgent: (peer?.userAgent ?? ctx.requestHeader.get("user-agent") ?? "").slice(0, MAX_USER_AGENT),
    ...deviceIdOf(ctx.requestHeader.get(DEVICE_ID_HEADER)),
  };
}

// The same for a plain HTTP request (the OpenID provider's pages), which Connect's context does not wrap.
export function callerOfHttp(
  req: { headers: IncomingHttpHeaders; socket?: { remoteAddress?: string } },
  trustedProxies: BlockList,
): Caller {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(",") : (value ?? null);
  };
  return {
    requestId: requestIdFrom(header(REQUEST_ID_HEADER)),
    ip: clientAddress(req.socket?.remoteAddress, header("x-forwarded-for"), trustedProxies),
    userAgent: (header("user-agent") ?? "").slice(0, MAX_USER_AGENT),
    ...deviceIdOf(cookieOf(req, DEVICE_COOKIE) ?? header(DEVICE_ID_HEADER)),
  };
}

// The pages' long-lived device cookie (two years, the whole site), set on a page that arrives
// without one: from then on the browser is one device to the risk engine, whatever its user agent
// says. Random, and no secret: it names a browser, it proves nothing.
export function deviceCookieFor(req: { headers: IncomingHttpHeaders }, secure: boolean): string[] {
  if (deviceIdOf(cookieOf(req, DEVICE_COOKIE)).deviceId !== undefined) return [];
  return [
    `${DEVICE_COOKIE}=${randomBytes(24).toString("base64url")}; Path=/; Max-Age=63072000; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`,
  ];
}
