import { Code, ConnectError } from "@connectrpc/connect";
import type { Sample } from "./samples";

export interface ClosedLoopOptions {
  // How many calls are in flight at once: each lane starts its next call when its last one ends.
  concurrency: number;
  // Calls made before this long has passed are not recorded (JIT, connection set-up, pools).
  warmupMs: number;
  durationMs: number;
  // One call; `n` is unique across the run, for requests that must differ (emails, usernames).
  call(n: number): Promise<unknown>;
}

export interface ClosedLoopResult {
  samples: Sample[];
  elapsedMs: number;
}

// Bounded-concurrency load: `concurrency` lanes call back to back until the time is up. A call is
// recorded when it ends inside the measured window, so the rate is completions per second of the
// window even when a call takes a large part of it.
export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const samples: Sample[] = [];
  let next = 0;
  const startedAt = performance.now();
  const measureFrom = startedAt + options.warmupMs;
  const measureUntil = measureFrom + options.durationMs;
  const lane = async () => {
    while (performance.now() < measureUntil) {
      const n = next++;
      const callStarted = performance.now();
      let sample: Sample;
      try {
        await options.call(n);
        sample = { ok: true, ms: performance.now() - callStarted };
      } catch (err) {
        sample = { ok: false, ms: performance.now() - callStarted, error: errorCode(err) };
      }
      const ended = callStarted + sample.ms;
      if (ended >= measureFrom && ended <= measureUntil) samples.push(sample);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { samples, elapsedMs: options.durationMs };
}

function errorCode(err: unknown): string {
  if (err instanceof ConnectError) return Code[err.code];
  if (err instanceof Error) return err.name;
  return "unknown";
}
