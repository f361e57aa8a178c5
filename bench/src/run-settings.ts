// What every benchmark entry shares: how long a phase runs, the production bcrypt cost and thread
// pool, where progress goes, and the machine the figures come from.
import * as os from "node:os";

export const QUICK = process.env.QUICK === "1";
export const TIMING = QUICK ? { warmupMs: 1_500, durationMs: 5_000 } : { warmupMs: 3_000, durationMs: 20_000 };
export const PRODUCTION_COST = 12;
export const CORES = os.availableParallelism();
// libuv's thread pool, where bcrypt runs, for the auth service and the bound alike: every core.
export const THREADPOOL_SIZE = Math.max(4, CORES);

export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function machine() {
  return {
    cpus: CORES,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

// Runs a benchmark entry's main and exits with its code (a failure prints and exits 1).
export function runEntry(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error("[bench] failed:", err);
      process.exit(1);
    },
  );
}
