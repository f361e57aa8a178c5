import type { AccountNormal, Sighting } from "./account-normal";
import { distanceKm, type Network } from "./place";
import type { RiskPolicy } from "./policy";
import type { RiskReason } from "./reasons";

// The signals: small pure functions from facts to reasons. The facts come from the packaged
// databases (risk/adapters) and the account's normal; nothing here does I/O.

// Recent counts of what one address, its network (/24, or /48 for IPv6), an email domain or a
// device did (risk/adapters/risk-counters.ts keeps them, in the rate limiter's table).
export interface Velocity {
  loginFailuresPerAddress?: number;
  loginFailuresPerNetwork?: number;
  registrationsPerAddress?: number;
  registrationsPerNetwork?: number;
  registrationsPerDomain?: number;
  registrationsPerDevice?: number;
}

// What the address alone says: a hosting network, and velocity at or above the policy's counts.
export function addressReasons(policy: RiskPolicy, network: Network, velocity: Velocity): RiskReason[] {
  const limits = policy.velocity;
  const fast = (Object.keys(velocity) as Array<keyof Velocity>).some((k) => (velocity[k] ?? 0) >= limits[k]);
  return [...(network.hosting ? (["HOSTING_NETWORK"] as const) : []), ...(fast ? (["VELOCITY"] as const) : [])];
}

// What the account's normal says of this sign-in. An account with nothing learned yet has no
// normal to differ from: no novelty (its registration is its first sighting, risk/app).
export function normalReasons(policy: RiskPolicy, normal: AccountNormal, seen: Sighting): RiskReason[] {
  if (normal.sightings === 0) return [];
  const reasons: RiskReason[] = [];
  const country = seen.network.place?.country;
  if (country !== undefined && normal.countries[country] === undefined) reasons.push("NEW_COUNTRY");
  const asn = seen.network.asn?.toString();
  if (asn !== undefined && normal.networks[asn] === undefined) reasons.push("NEW_NETWORK");
  if (normal.devices[seen.deviceKey] === undefined) reasons.push("NEW_DEVICE");
  if (isImpossibleTravel(policy, normal, seen)) reasons.push("IMPOSSIBLE_TRAVEL");
  if (isUnusualHour(policy, normal, seen.at)) reasons.push("UNUSUAL_HOUR");
  return reasons;
}

// Faster than the policy's speed, from the last sign-in's place to this one.
export function isImpossibleTravel(policy: RiskPolicy, normal: AccountNormal, seen: Sighting): boolean {
  const place = seen.network.place;
  if (normal.last === undefined || place === undefined) return false;
  const km = distanceKm(normal.last, place);
  if (km <= policy.travel.minDistanceKm) return false;
  const hours = Math.max(0, seen.at.getTime() - Date.parse(normal.last.at)) / 3_600_000;
  return km / Math.max(hours, 1 / 60) > policy.travel.maxSpeedKmh;
}

// An hour (±1, UTC) that held less than the policy's share of the account's sign-ins.
export function isUnusualHour(policy: RiskPolicy, normal: AccountNormal, at: Date): boolean {
  const total = normal.hours.reduce((a, b) => a + b, 0);
  if (total < policy.hours.minSignIns) return false;
  const h = at.getUTCHours();
  const near = [h + 23, h, h + 1].reduce((sum, x) => sum + (normal.hours[x % 24] ?? 0), 0);
  return near / total < policy.hours.maxShare;
}

// What the email says: a disposable domain (the caller knows the list), plus-addressing, and a
// local part that looks made by a script rather than a person.
export function emailReasons(email: string, disposable: boolean): RiskReason[] {
  const at = email.lastIndexOf("@");
  const local = email.slice(0, at);
  const reasons: RiskReason[] = [];
  if (disposable) reasons.push("DISPOSABLE_EMAIL");
  if (local.includes("+")) reasons.push("PLUS_ADDRESSING");
  if (looksRandom(local.split("+")[0] ?? "")) reasons.push("RANDOM_LOCAL_PART");
  return reasons;
}

// A random-looking local part: letters and digits mixed back and forth (x7kq2m9z), or a run of
// consonants no name has (qwrtzkp). Names with a year (anna.berg1990) and initials pass.
export function looksRandom(local: string): boolean {
  const text = local.toLowerCase().replace(/[._-]/g, "");
  if (text.length < 8) return false;
  const switches = [...text].filter((c, i) => i > 0 && /\d/.test(c) !== /\d/.test(text[i - 1]!)).length;
  const consonantRun = Math.max(0, ...(text.match(/[bcdfghjklmnpqrstvwxz]+/g) ?? []).map((run) => run.length));
  return switches >= 4 || consonantRun >= 7;
}
