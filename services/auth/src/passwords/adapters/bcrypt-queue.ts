import { setTimeout as sleep } from "node:timers/promises";
import Bottleneck from "bottleneck";
import type { Registry } from "prom-client";
import { RateLimitedError } from "@flowshield/common/contract/errors";
import type { BcryptQueue } from "../app/dependencies";
import { rateLimitRefusals } from "../../limits/adapters/rate-limit-refusals";

export interface BcryptQueueSettings {
  // bcrypt rounds run at once: libuv's thread pool runs them, and more would only queue there,
  // out of sight (UV_THREADPOOL_SIZE, 4 by default).
  concurrency: number;
  // Rounds waiting beyond those (BCRYPT_QUEUE_LIMIT): at cost 12 (~250 ms a round) and 4 threads,
  // 64 waiting is about 4 s of work. One more is refused.
  queueLimit: number;
  // A refusal is answered after the second it tells the caller to wait (RETRY_AFTER_MS), up to this
  // many held at once; beyond them, at once (tests make it smaller).
  maxHeldRefusals?: number;
}

const RETRY_AFTER_MS = 1_000;
// A bound on what held refusals keep: each its HTTP/2 stream, its call's objects and a timer.
const MAX_HELD_REFUSALS = 1_000;

// bcrypt is the one thing a caller can make this service do that costs a core for a quarter of a
// second, so it is admitted, not just run (Bottleneck): a bounded queue over the thread pool, and
// before it one lane per account (or per account at an address it knows) holding one piece of work
// running and three waiting. A flood against one account then takes four places in the queue,
// never the whole of it, and other users' sign-ins go on; a flood across accounts fills the queue,
// and what does not fit is refused (RESOURCE_EXHAUSTED, retry in a second) instead of waiting.
// The refusal is answered once that second has passed: a script keeping hundreds of attempts in
// flight would otherwise be refused as fast as the cores can refuse it — a core or more taken from
// the sign-ins let through (BENCHMARKS.md, the flood) — and now gets its answers at the pace it is
// told to keep, for a timer each.
// Work in one lane runs one at a time, so a sign-in's limits are taken inside it: every attempt
// that passes them gets its bcrypt check, and none is refused after taking one.
export function createBcryptQueue(settings: BcryptQueueSettings, registry: Registry): BcryptQueue {
  const overflow = Bottleneck.strategy.OVERFLOW;
  const queue = new Bottleneck({ maxConcurrent: settings.concurrency, highWater: settings.queueLimit, strategy: overflow });
  // A lane is dropped after a minute unused.
  const lanes = new Bottleneck.Group({ maxConcurrent: 1, highWater: 3, strategy: overflow, timeout: 60_000 });
  lanes.on("created", (lane) => lane.chain(queue));
  // Four attempts of one caller on one account in flight, none waiting: not chained to the queue
  // (an attempt holds its place here while it waits for a lane).
  const callers = new Bottleneck.Group({ maxConcurrent: 4, highWater: 0, strategy: overflow, timeout: 60_000 });
  const refusals = rateLimitRefusals(registry);
  const maxHeld = settings.maxHeldRefusals ?? MAX_HELD_REFUSALS;
  let held = 0;
  const scheduled = async <T>(limiter: Bottleneck, refusedAs: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await limiter.schedule(work);
    } catch (err) {
      if (!(err instanceof Bottleneck.BottleneckError)) throw err;
      refusals.inc({ limit: refusedAs });
      if (held < maxHeld) {
        held++;
        // Unreferenced: a held answer does not keep a stopping process alive.
        await sleep(RETRY_AFTER_MS, undefined, { ref: false }).finally(() => held--);
      }
      throw new RateLimitedError("BUSY", "too many password checks at once; try again in a moment", RETRY_AFTER_MS);
    }
  };
  return {
    run: (lane, work) => scheduled(lanes.key(lane), "bcrypt_queue", work),
    admit: (caller, work) => scheduled(callers.key(caller), "sign_in_admission", work),
  };
}
