import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { openSync } from "node:fs";
import * as path from "node:path";
import { pollUntil } from "../../scripts/poll";
import { ROOT, spawnNode, stopProcess, waitForHealthy } from "../../scripts/stack";
import { peakRssMb } from "./peak-rss";

// What a role runs: a FlowShield entry point under ROOT (a bundle or TypeScript), or a program of
// its own (a peer's binary) with its arguments.
export type Launch = string | { command: string; args: string[] };

// One role of the benchmarked stack (auth, profile, worker, a peer, …) in a process of its own, its
// output appended to <logDir>/<name>.log as production would ship it. The role's peak memory is
// the highest across its restarts.
export class BenchProcess {
  private child: ChildProcess | undefined;
  private readonly peaks: number[] = [];

  constructor(
    readonly name: string,
    private readonly launch: Launch,
    private readonly logDir: string,
  ) {}

  // Starts the process and waits until it is ready: for a FlowShield listener's URL, until it
  // answers gRPC health checks; for a function, until that says so.
  async start(env: NodeJS.ProcessEnv, ready?: string | (() => Promise<boolean>)): Promise<void> {
    const log = openSync(path.join(this.logDir, `${this.name}.log`), "a");
    const stdio: StdioOptions = ["ignore", log, log];
    const child =
      typeof this.launch === "string"
        ? spawnNode(this.launch, env, stdio)
        : spawn(this.launch.command, this.launch.args, { cwd: ROOT, env: { ...process.env, ...env }, stdio });
    this.child = child;
    if (typeof ready === "string") await waitForHealthy(ready, child);
    else if (ready !== undefined) await pollUntil(this.name, ready, { process: child, timeoutMs: 120_000 });
  }

  async stop(): Promise<void> {
    if (this.child === undefined) return;
    const last = await peakRssMb(this.child.pid ?? -1);
    if (last !== undefined) this.peaks.push(last);
    await stopProcess(this.child);
    this.child = undefined;
  }

  async peakRssMb(): Promise<number | undefined> {
    const now = this.child === undefined ? undefined : await peakRssMb(this.child.pid ?? -1);
    const all = now === undefined ? this.peaks : [...this.peaks, now];
    return all.length === 0 ? undefined : Math.max(...all);
  }
}
