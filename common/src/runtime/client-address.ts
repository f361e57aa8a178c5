import { BlockList, isIP } from "node:net";
import ipaddr from "ipaddr.js";

// TRUSTED_PROXIES: addresses and CIDR ranges (comma-separated) whose X-Forwarded-For is believed.
export function parseTrustedProxies(text: string): BlockList {
  const list = new BlockList();
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "")) {
    const [address = "", prefix] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : isIP(address) === 4 ? "ipv4" : undefined;
    if (type === undefined) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an address or CIDR range`);
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

// An address as a socket or a header gives it, IPv4-mapped IPv6 read as the IPv4 address.
function plainAddress(address: string | undefined): string {
  return (address ?? "").replace(/^::ffff:/, "");
}

function isTrusted(list: BlockList, address: string): boolean {
  const type = isIP(address) === 6 ? "ipv6" : "ipv4";
  return isIP(address) !== 0 && list.check(address, type);
}

// The headers a proxy speaks for its client with. From any other peer they are a client's claims.
const FORWARDED_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"];

// Drops the forwarding headers of a request that does not come from a trusted proxy, so that what
// reads them later (the OpenID provider's issuer URLs and secure cookies, behind Koa's `proxy`)
// believes only TRUSTED_PROXIES.
export function dropUntrustedForwarding(
  req: { headers: Record<string, unknown>; socket?: { remoteAddress?: string } },
  trusted: BlockList,
): void {
  if (isTrusted(trusted, plainAddress(req.socket?.remoteAddress))) return;
  for (const name of FORWARDED_HEADERS) delete req.headers[name];
}

// The client's address: the socket's peer, unless that peer is a trusted proxy; then the
// X-Forwarded-For chain is read from the right, skipping trusted proxies, and the first address
// that is not one is the client (the left part of the chain is whatever the client claimed).
export function clientAddress(peer: string | undefined, forwardedFor: string | null, trusted: BlockList): string {
  const socket = plainAddress(peer);
  if (forwardedFor === null || !isTrusted(trusted, socket)) return socket;
  const hops = forwardedFor
    .split(",")
    .map((h) => plainAddress(h.trim()))
    .filter((h) => isIP(h) !== 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!isTrusted(trusted, hop)) return hop;
  }
  return hops[0] ?? socket;
}

// One client, as the limits count clients: an IPv4 address, or an IPv6 address's /64 (one
// subscriber's prefix: a host picks any of its 2^64 addresses at will, so counting addresses
// would let it rotate past every limit). IPv4-mapped IPv6 counts as the IPv4 address. Anything
// unparsable (no socket address) is its own key.
export function limitKeyOfAddress(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  return `${parsed.toNormalizedString().split(":").slice(0, 4).join(":")}::/64`;
}
