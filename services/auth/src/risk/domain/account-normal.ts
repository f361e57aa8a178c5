import type { Network } from "./place";

// One sign-in's (or the registration's) facts as the engine sees them: when, from which network,
// on which device (the hash of its id, or of its user agent's family when it sent none).
export interface Sighting {
  at: Date;
  network: Network;
  deviceKey: string;
}

// An account's normal: how often it signed in from each country, network and device, at each hour
// (UTC), and where it last did. Frequency-based novelty rather than a fitted model: every account
// has a handful of sign-ins, too few to fit anything, and "never from here before" is a reason a
// user and an operator both understand. Bounded: the most frequent entries are kept, and counts
// are halved once there are many, so old habits fade.
export interface AccountNormal {
  sightings: number;
  countries: Record<string, number>;
  networks: Record<string, number>;
  devices: Record<string, number>;
  hours: number[];
  last?: { at: string; latitude: number; longitude: number };
}

const MAX_ENTRIES = 20;
const HALVE_AT = 400;

export function emptyNormal(): AccountNormal {
  return { sightings: 0, countries: {}, networks: {}, devices: {}, hours: Array.from({ length: 24 }, () => 0) };
}

function counted(counts: Record<string, number>, key: string | undefined, halve: boolean): Record<string, number> {
  const next = Object.entries(counts).map(([k, n]) => [k, halve ? Math.floor(n / 2) : n] as [string, number]);
  if (key !== undefined) {
    const i = next.findIndex(([k]) => k === key);
    if (i >= 0) next[i]![1] += 1;
    else next.push([key, 1]);
  }
  return Object.fromEntries(
    next
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_ENTRIES),
  );
}

// The normal with one more successful sign-in in it.
export function learned(normal: AccountNormal, seen: Sighting): AccountNormal {
  const halve = normal.sightings + 1 >= HALVE_AT;
  const hours = normal.hours.map((n, h) => (halve ? Math.floor(n / 2) : n) + (h === seen.at.getUTCHours() ? 1 : 0));
  const place = seen.network.place;
  return {
    sightings: halve ? Math.floor((normal.sightings + 1) / 2) : normal.sightings + 1,
    countries: counted(normal.countries, place?.country, halve),
    networks: counted(normal.networks, seen.network.asn?.toString(), halve),
    devices: counted(normal.devices, seen.deviceKey, halve),
    hours,
    ...(place !== undefined
      ? { last: { at: seen.at.toISOString(), latitude: place.latitude, longitude: place.longitude } }
      : normal.last !== undefined
        ? { last: normal.last }
        : {}),
  };
}
