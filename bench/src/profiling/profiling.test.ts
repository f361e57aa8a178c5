import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { profileByConcern } from "./cpu-profile";
import { cpuPerCall, cpuSnapshot } from "./cpu-split";

describe("cpuPerCall", () => {
  test("divides what each thread spent between the snapshots by the calls, largest first, and leaves out shares under 2 %", () => {
    const before = new Map([
      ["auth / libuv pool", 10],
      ["auth / JavaScript", 1],
      ["temporal / other threads", 5],
    ]);
    const after = new Map([
      ["auth / libuv pool", 12],
      ["auth / JavaScript", 1.2],
      ["temporal / other threads", 5.001],
      // A process started between the snapshots counts from zero.
      ["worker / JavaScript", 0.3],
    ]);
    expect(cpuPerCall(before, after, 10)).toEqual([
      ["auth / libuv pool", expect.closeTo(200, 6)],
      ["worker / JavaScript", expect.closeTo(30, 6)],
      ["auth / JavaScript", expect.closeTo(20, 6)],
    ]);
  });

  test("no calls is not a division by zero", () => {
    expect(cpuPerCall(new Map(), new Map([["a / JavaScript", 1]]), 0)).toEqual([["a / JavaScript", 1000]]);
  });
});

describe("cpuSnapshot", () => {
  test("names a child process by its entry point and counts the CPU its JavaScript thread spent", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cpu-split-"));
    const entry = path.join(dir, "busy-role.js");
    // Burns 300 ms of CPU (by its own clock, however loaded the machine), then waits to be read.
    await writeFile(entry, "while (process.cpuUsage().user < 300000); process.stdout.write('ready'); setTimeout(() => {}, 30000);");
    const child = spawn(process.execPath, [entry], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise((resolve) => child.stdout.once("data", resolve));
      const seconds = await cpuSnapshot();
      // Most of it on its JavaScript thread (start-up's compiling runs on V8's helpers).
      expect(seconds.get("busy-role / JavaScript")).toBeGreaterThanOrEqual(0.2);
      expect(seconds.get("load driver (this process) / JavaScript")).toBeGreaterThan(0);
    } finally {
      child.kill();
    }
  });
});

describe("profileByConcern", () => {
  // A profile of five frames under the root: pg calling JSON.stringify (a built-in), a Node
  // timer calling FlowShield's oauth code which calls into Node's internals, garbage collection,
  // and idle time.
  const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
    id,
    callFrame: { functionName, url, lineNumber: 0, columnNumber: 0, scriptId: "0" },
    children,
  });
  const profile = {
    nodes: [
      frame(1, "(root)", "", [2, 4, 7, 8]),
      frame(2, "query", "file:///srv/node_modules/pg/lib/client.js", [3]),
      frame(3, "stringify", ""),
      frame(4, "listOnTimeout", "node:internal/timers", [5]),
      frame(5, "grant", "file:///srv/services/auth/src/oauth/adapters/storage.ts", [6]),
      frame(6, "writeGeneric", "node:internal/stream_base_commons"),
      frame(7, "(garbage collector)", ""),
      frame(8, "(idle)", ""),
    ],
    samples: [2, 3, 3, 6, 5, 7, 8, 4],
    timeDeltas: [1000, 1000, 1000, 2000, 1000, 500, 4000, 250],
  };

  test("charges built-ins and Node's internals to the innermost library frame that called them", async () => {
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), "cpu-profile-")), "auth.cpuprofile");
    await writeFile(file, JSON.stringify(profile));
    const { totalMs, concerns } = await profileByConcern(file);
    expect(Object.fromEntries(concerns)).toEqual({
      "Postgres client (pg, kysely)": 3,
      "FlowShield services/auth/oauth": 3,
      "garbage collection": 0.5,
      "(idle)": 4,
      // A timer firing with no library code above it stays Node's.
      "Node, other": 0.25,
    });
    expect(totalMs).toBeCloseTo(10.75);
  });
});
