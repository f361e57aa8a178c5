import type { ChildProcess } from "node:child_process";
import { openSync } from "node:fs";
import * as path from "node:path";
import { spawnNode, stopProcess, waitForHealthy } from "../../scripts/stack";
import { peakRssMb } from "./peak-rss";

// One role of the benchmarked stack (auth, profile, worker, …) in a Node process of its own, its
// output appended to <logDir>/<name>.log as production would ship it. The role's peak memory is
// the highest across its restarts.
export class BenchProcess {
  private child: ChildProcess | undefined;
  private readonly peaks: number[] = [];

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly logDir: string,
  ) {}

  // Starts the process and, when it has a listener, waits until that answers health checks.
  async start(env: NodeJS.ProcessEnv, healthUrl?: string): Promise<void> {
    const log = openSync(path.join(this.logDir, `${this.name}.log`), "a");
    this.child = spawnNode(this.entry, env, ["ignore", log, log]);
    if (healthUrl !== undefined) await waitForHealthy(healthUrl, this.child);
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
