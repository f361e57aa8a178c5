// Where a phase's CPU went, by process and thread: every process this benchmark started (the
// services, the Temporal server, each Postgres with its backends, the peers, ghz) and this process
// itself (the load driver), read from /proc before and after. Node's threads are told apart by
// name: the JavaScript thread ("MainThread"), libuv's pool ("libuv-worker", where bcrypt runs)
// and V8's helpers ("V8Worker": garbage collection and compilation).
import { readdir, readFile } from "node:fs/promises";
import * as path from "node:path";

// Linux's clock ticks per second for utime and stime (sysconf(_SC_CLK_TCK), 100 on every kernel
// Node supports).
const TICKS_PER_SECOND = 100;

interface ProcInfo {
  pid: number;
  ppid: number;
  cmdline: string[];
}

async function procInfo(pid: number): Promise<ProcInfo | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces: the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").filter((a) => a !== "");
    return { pid, ppid: Number(fields[1]), cmdline };
  } catch {
    return undefined;
  }
}

// user + system seconds of one thread (/proc/<pid>/task/<tid>/stat) and its name.
async function threadCpu(pid: number, tid: string): Promise<{ name: string; seconds: number } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { name, seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

// A process's role: its entry point (node), its program (temporal, kratos, …), or for Postgres the
// data folder of its cluster; a process with none takes its parent's (Postgres's backends).
function roleOf(p: ProcInfo, parentRole: string | undefined): string | undefined {
  const [program = "", ...args] = p.cmdline;
  const base = path.basename(program);
  if (base === "node") {
    const entry = args.find((a) => a.endsWith(".js") || a.endsWith(".ts"));
    return entry === undefined ? parentRole : path.basename(entry).replace(/\.(js|ts)$/, "");
  }
  if (base === "postgres") {
    const dir = args[args.indexOf("-D") + 1];
    return args.includes("-D") && dir !== undefined ? `postgres ${path.basename(dir)}` : parentRole;
  }
  if (program.startsWith("postgres:")) return parentRole;
  return base === "" ? parentRole : base;
}

const threadKind = (name: string) =>
  name === "MainThread" ? "JavaScript" : name === "libuv-worker" ? "libuv pool" : name.startsWith("V8") ? "V8 helpers" : "other threads";

// Seconds of CPU by "role / thread kind", over this process and all its descendants.
export async function cpuSnapshot(): Promise<Map<string, number>> {
  const all = (await Promise.all((await readdir("/proc")).filter((d) => /^\d+$/.test(d)).map((d) => procInfo(Number(d))))).filter(
    (p): p is ProcInfo => p !== undefined,
  );
  const children = new Map<number, ProcInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const roles = new Map<number, string>([[process.pid, "load driver (this process)"]]);
  const queue = [process.pid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    for (const child of children.get(pid) ?? []) {
      const role = roleOf(child, roles.get(pid));
      if (role !== undefined) roles.set(child.pid, role);
      queue.push(child.pid);
    }
  }
  const seconds = new Map<string, number>();
  for (const [pid, role] of roles) {
    const tids = await readdir(`/proc/${pid}/task`).catch(() => []);
    for (const tid of tids) {
      const t = await threadCpu(pid, tid);
      if (t === undefined) continue;
      const key = `${role} / ${threadKind(t.name)}`;
      seconds.set(key, (seconds.get(key) ?? 0) + t.seconds);
    }
  }
  return seconds;
}

// What each role and thread kind spent between two snapshots, per call, in milliseconds, largest
// first; shares under 2 % of the whole are left out.
export function cpuPerCall(before: Map<string, number>, after: Map<string, number>, calls: number): [string, number][] {
  const spent = [...after].map(([key, s]): [string, number] => [key, ((s - (before.get(key) ?? 0)) * 1000) / Math.max(calls, 1)]);
  const total = spent.reduce((sum, [, ms]) => sum + ms, 0);
  return spent.filter(([, ms]) => ms > 0 && ms >= total * 0.02).sort((a, b) => b[1] - a[1]);
}
