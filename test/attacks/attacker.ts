import { ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { ErrorInfoSchema, RetryInfoSchema } from "@flowshield/gen/google/rpc/error_details_pb";
import { Code } from "../support/codes";

// The hostile caller of the attack suite: gRPC over one real HTTP/2 connection, appearing at any
// address it likes through X-Forwarded-For — which the auth service under attack believes only
// because the tests start it with TRUSTED_PROXIES naming loopback (the proxy in front of it).
export function attackerOf(authPublicUrl: string): Client<typeof AuthService> {
  return createClient(AuthService, createGrpcTransport({ baseUrl: authPublicUrl }));
}

export const from = (ip: string) => ({ headers: { "x-forwarded-for": ip } });

export interface Outcome {
  code: Code | "ok";
  reason?: string;
  retryAfterSeconds?: number;
}

// What one call came to: "ok", or its code, its ErrorInfo reason and its RetryInfo delay.
export async function outcome(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return { code: "ok" };
  } catch (err) {
    const e = ConnectError.from(err);
    const retry = e.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds;
    const reason = e.findDetails(ErrorInfoSchema)[0]?.reason;
    return {
      code: e.code,
      ...(reason !== undefined ? { reason } : {}),
      ...(retry !== undefined ? { retryAfterSeconds: Number(retry) } : {}),
    };
  }
}

// How many of each outcome code.
export function tally(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const name = o.code === "ok" ? "ok" : Code[o.code];
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

// A documentation-range address (RFC 5737 / RFC 3849) that no other test uses.
let next = Math.floor(Math.random() * 50_000);
export function freshIpv4(): string {
  next++;
  return `198.18.${Math.floor(next / 250) % 256}.${(next % 250) + 1}`;
}
export function freshIpv6Prefix(): string {
  next++;
  return `2001:db8:${(next % 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
}
