// The bcrypt bound, in a process of its own: how many hashes per second this machine makes at a
// cost when every core does nothing else (libuv's thread pool sized to the cores, more calls in
// flight than threads). Prints a ClosedLoopResult as JSON.
import bcrypt from "bcrypt";
import { envInt } from "@flowshield/common/runtime/config";
import { runClosedLoop } from "./closed-loop";

async function main(): Promise<void> {
  const cost = envInt("BCRYPT_COST", 12);
  const hash = await bcrypt.hash("the bcrypt bound", cost);
  const result = await runClosedLoop({
    concurrency: envInt("BOUND_CONCURRENCY", 8),
    warmupMs: envInt("WARMUP_MS", 3_000),
    durationMs: envInt("DURATION_MS", 20_000),
    // compare is what a login does; hash costs the same at the same cost.
    call: () => bcrypt.compare("the bcrypt bound", hash),
  });
  process.stdout.write(JSON.stringify(result));
}

void main();
