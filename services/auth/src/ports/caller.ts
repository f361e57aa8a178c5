import type { HandlerContext } from "@connectrpc/connect";
import type { BlockList } from "node:net";
import { clientAddress } from "@flowshield/common/client-address";
import { currentRequestContext, peerKey } from "@flowshield/common/request-context";
import type { Caller } from "../domain/audit";

// Longer user agents are cut: they are recorded, not trusted.
const MAX_USER_AGENT = 512;

// Who is calling, for the rate limits and the audit trail: the request id, the client's address
// (X-Forwarded-For believed only from TRUSTED_PROXIES) and user agent.
export function callerOf(ctx: HandlerContext, trustedProxies: BlockList): Caller {
  const peer = ctx.values.get(peerKey);
  return {
    requestId: currentRequestContext()?.requestId ?? "",
    ip: clientAddress(peer?.address, ctx.requestHeader.get("x-forwarded-for"), trustedProxies),
    userAgent: (peer?.userAgent ?? ctx.requestHeader.get("user-agent") ?? "").slice(0, MAX_USER_AGENT),
  };
}
