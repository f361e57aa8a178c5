// A V8 CPU profile (node --cpu-prof) of a production bundle, summed by where the code lives: each
// sample's frame is mapped through the bundle's source map to its original file, and the file to a
// concern — a package (Connect, pg, pino, …) or FlowShield's own folder (services/auth/src/<concern>).
// A sample is charged to the innermost frame in a package or in FlowShield's code: the time spent in
// V8's built-ins and Node's internals on a library's behalf is that library's (JSON.parse called by
// Connect is Connect's); samples with no such frame keep the innermost frame's concern.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

// Packages grouped into the concerns a login or a registration is made of.
const PACKAGE_CONCERNS: [RegExp, string][] = [
  [/^@connectrpc\/|^@bufbuild\//, "Connect and protobuf"],
  [/^(pg|pg-pool|pg-protocol|pg-types|kysely)$/, "Postgres client (pg, kysely)"],
  [/^pino/, "logging (pino)"],
  [/^@opentelemetry\//, "tracing (OpenTelemetry)"],
  [/^prom-client$/, "metrics (prom-client)"],
  [/^(oidc-provider|koa.*|@koa\/.*)$/, "OpenID provider (oidc-provider, koa)"],
  [/^jose$/, "JWT (jose)"],
  [/^(@temporalio\/.*|@grpc\/.*)$/, "Temporal client"],
  [/^(maxmind|mmdb-lib|ua-parser-js|mailchecker)$/, "risk engine's lookups"],
];

function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const [scope = "", name = ""] = file.slice(at + "node_modules/".length).split("/");
  return scope.startsWith("@") ? `${scope}/${name}` : scope;
}

function concernOf(file: string, functionName: string): string {
  if (file === "") {
    if (functionName === "(garbage collector)") return "garbage collection";
    if (functionName === "(idle)") return "(idle)";
    if (functionName === "(program)") return "V8 and native code outside JavaScript";
    if (functionName === "parse" || functionName === "stringify") return "JSON";
    return "V8 built-ins";
  }
  const pkg = packageOf(file);
  if (pkg !== undefined) return PACKAGE_CONCERNS.find(([re]) => re.test(pkg))?.[1] ?? `other packages (${pkg})`;
  if (file.startsWith("node:internal/http2") || file.startsWith("node:http2")) return "Node HTTP/2";
  if (/^node:(_http|http$|internal\/http)/.test(file)) return "Node HTTP/1.1";
  if (/^node:(net|stream|internal\/(streams|stream_base|net))/.test(file)) return "Node sockets and streams";
  if (file.startsWith("node:")) return "Node, other";
  const ours = /(services\/\w+\/src|common\/src|workflows\/src)\/([\w-]+)/.exec(file);
  if (ours !== null) return `FlowShield ${ours[1]!.replace("/src", "")}/${ours[2]}`;
  return `other (${file})`;
}

// Maps a frame of the bundle to its original file (source maps number lines and columns from 0,
// as the profile does).
function mapper(): (frame: CallFrame) => string {
  const maps = new Map<string, SourceMap | undefined>();
  const mapOf = (url: string) => {
    if (!maps.has(url)) {
      try {
        maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, "utf8")) as never));
      } catch {
        maps.set(url, undefined);
      }
    }
    return maps.get(url);
  };
  return (frame) => {
    if (frame.url === "") return "";
    if (!frame.url.startsWith("file://")) return frame.url;
    const map = mapOf(frame.url);
    const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string } | undefined;
    return entry?.originalSource ?? fileURLToPath(frame.url);
  };
}

// Milliseconds of self time by concern, largest first; the profile's total beside it.
export async function profileByConcern(file: string): Promise<{ totalMs: number; concerns: [string, number][] }> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const fileOf = mapper();
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const frameOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const concernOfNode = new Map<number, string>();
  const owner = (id: number): string => {
    const known = concernOfNode.get(id);
    if (known !== undefined) return known;
    const frame = frameOf.get(id)!;
    const file = fileOf(frame);
    const own = concernOf(file, frame.functionName);
    const parent = parentOf.get(id);
    const library = file !== "" && !file.startsWith("node:");
    // Above the first frame of library code there is only Node's event loop.
    const concern = library || parent === undefined ? own : (ownerOrNull(parent) ?? own);
    concernOfNode.set(id, concern);
    return concern;
  };
  // The concern of the innermost library frame at or above `id`, if any.
  const ownerOrNull = (id: number): string | undefined => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = frameOf.get(at)!;
      const file = fileOf(frame);
      if (file !== "" && !file.startsWith("node:")) return concernOf(file, frame.functionName);
    }
    return undefined;
  };
  const ms = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const concern = owner(id);
    ms.set(concern, (ms.get(concern) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const concerns = [...ms].sort((a, b) => b[1] - a[1]);
  return { totalMs: concerns.reduce((t, [, v]) => t + v, 0), concerns };
}
