import ipaddr from "ipaddr.js";
import type pg from "pg";
import type { RateLimiterPostgres } from "rate-limiter-flexible";
import { limiter } from "../../limits/adapters/rate-limits";
import { limitKeyOfAddress } from "@flowshield/common/runtime/client-address";
import { sha256 } from "@flowshield/common/crypto/secret-digest";
import type { RiskPolicy } from "../domain/policy";
import type { RiskCounters } from "../app/dependencies";

// VELOCITY's counts, kept by rate-limiter-flexible in the rate limiter's own table (rate_limits)
// as limits that never refuse: a count per key over the policy's window (a fixed window from the
// key's first hit, as the library keeps them). Keys are hashed, like the limits' own.
//
// A network is an IPv4 /24 or an IPv6 /48 (a site's usual allocation): a run that rotates
// through a /64's addresses, or through a site's /64s, stays one network.
export function networkKeyOf(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === "ipv4") return `${(parsed as ipaddr.IPv4).octets.slice(0, 3).join(".")}.0/24`;
  return `${(parsed as ipaddr.IPv6).parts
    .slice(0, 3)
    .map((p) => p.toString(16))
    .join(":")}::/48`;
}

export function createRiskCounters(pool: pg.Pool, policy: RiskPolicy): RiskCounters {
  const counter = (keyPrefix: string) =>
    limiter(pool, keyPrefix, { points: Number.MAX_SAFE_INTEGER, duration: policy.velocity.windowSeconds });
  const failuresByAddress = counter("risk_login_failures_ip");
  const failuresByNetwork = counter("risk_login_failures_net");
  const registrationsByAddress = counter("risk_registrations_ip");
  const registrationsByNetwork = counter("risk_registrations_net");
  const registrationsByDomain = counter("risk_registrations_domain");
  const registrationsByDevice = counter("risk_registrations_device");
  const key = (text: string) => sha256(text).toString("base64url");
  const count = async (c: RateLimiterPostgres, k: string) => (await c.get(key(k)))?.consumedPoints ?? 0;
  const add = async (c: RateLimiterPostgres, k: string) => void (await c.consume(key(k)));

  return {
    async loginVelocity(ip) {
      const [perAddress, perNetwork] = await Promise.all([
        count(failuresByAddress, limitKeyOfAddress(ip)),
        count(failuresByNetwork, networkKeyOf(ip)),
      ]);
      return { loginFailuresPerAddress: perAddress, loginFailuresPerNetwork: perNetwork };
    },
    async loginFailed(ip) {
      await Promise.all([add(failuresByAddress, limitKeyOfAddress(ip)), add(failuresByNetwork, networkKeyOf(ip))]);
    },
    async registrationVelocity(ip, domain, deviceKey) {
      const [perAddress, perNetwork, perDomain, perDevice] = await Promise.all([
        count(registrationsByAddress, limitKeyOfAddress(ip)),
        count(registrationsByNetwork, networkKeyOf(ip)),
        count(registrationsByDomain, domain),
        deviceKey !== undefined ? count(registrationsByDevice, deviceKey) : 0,
      ]);
      return {
        registrationsPerAddress: perAddress,
        registrationsPerNetwork: perNetwork,
        registrationsPerDomain: perDomain,
        registrationsPerDevice: perDevice,
      };
    },
    async registered(ip, domain, deviceKey) {
      await Promise.all([
        add(registrationsByAddress, limitKeyOfAddress(ip)),
        add(registrationsByNetwork, networkKeyOf(ip)),
        add(registrationsByDomain, domain),
        ...(deviceKey !== undefined ? [add(registrationsByDevice, deviceKey)] : []),
      ]);
    },
  };
}
