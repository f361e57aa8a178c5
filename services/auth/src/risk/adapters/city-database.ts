import { fstatSync, openSync, readSync } from "node:fs";
import Decoder from "mmdb-lib/lib/decoder";
import { parseMetadata } from "mmdb-lib/lib/metadata";
import walker from "mmdb-lib/lib/reader/walker";

// A MaxMind DB (the city database) looked up where it lies: its search tree — four fifths of the
// file — read from the file a node at a time, its data section in memory, decoded by MaxMind's own
// decoder (mmdb-lib, the `maxmind` reader's). The `maxmind` reader holds the whole file in memory,
// as Node cannot map a file: 45 MB of the auth service's ~200 MB at rest for the two city
// databases, where this holds their 9 MB of records. A lookup reads at most one node a bit of the
// address (32 for IPv4), each a read from the operating system's page cache: tens of
// microseconds, once per sign-in, beside a bcrypt compare's 200 ms. city-database.test.ts checks
// its answers against the `maxmind` reader's.

// The format's constants (MaxMind DB File Format Specification 2.0).
const METADATA_START_MARKER = Buffer.from("ABCDEF4D61784D696E642E636F6D", "hex");
const METADATA_MAX_SIZE = 128 * 1024;
const DATA_SECTION_SEPARATOR_SIZE = 16;

export interface CityDatabase {
  // The record of the network holding the address (its bytes: 4 for IPv4, 16 for IPv6), or null.
  get(address: Uint8Array | readonly number[]): unknown;
}

export function openCityDatabase(file: string): CityDatabase {
  const fd = openSync(file, "r");
  const size = fstatSync(fd).size;
  const tailStart = Math.max(0, size - METADATA_MAX_SIZE);
  const tail = readAt(fd, tailStart, size - tailStart);
  const marker = tail.lastIndexOf(METADATA_START_MARKER);
  if (marker < 0) throw new Error(`${file} is not a MaxMind database: no metadata at its end`);
  const metadata = parseMetadata(tail);
  const dataStart = metadata.searchTreeSize + DATA_SECTION_SEPARATOR_SIZE;
  const dataEnd = tailStart + marker;
  if (dataEnd < dataStart) throw new Error(`${file} is cut short: its search tree alone is ${metadata.searchTreeSize} bytes`);
  const decoder = new Decoder(readAt(fd, dataStart, dataEnd - dataStart));
  const { nodeCount, nodeByteSize } = metadata;
  // One node at a time in `node`, read by mmdb-lib's own record readers (their offset: 0).
  const node = Buffer.alloc(nodeByteSize);
  const child = walker(node, metadata.recordSize);
  return {
    get(address) {
      if (address.length * 8 !== metadata.treeDepth)
        throw new Error(`a ${address.length}-byte address in an IPv${metadata.ipVersion} database`);
      let next = 0;
      for (let bit = 0; bit < metadata.treeDepth && next < nodeCount; bit++) {
        readSync(fd, node, 0, nodeByteSize, next * nodeByteSize);
        next = (address[bit >> 3]! >> (7 - (bit & 7))) & 1 ? child.right(0) : child.left(0);
      }
      // nodeCount itself: no network holds the address; above it: a pointer into the data section.
      if (next <= nodeCount) return null;
      return decoder.decode(next - nodeCount - DATA_SECTION_SEPARATOR_SIZE).value as unknown;
    },
  };
}

function readAt(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  if (readSync(fd, bytes, 0, length, position) !== length) throw new Error("the city database ended early");
  return bytes;
}
