// `make bench-peers`: FlowShield's production build against Ory Kratos and Hydra on this machine,
// alone (`make bench` ends with the same comparison). Prints the table and writes
// .bench/peers-results.json.
import { writeFile } from "node:fs/promises";
import * as path from "node:path";
import { ROOT } from "../../scripts/stack";
import { BENCH_DIR, startBenchStack } from "./bench-stack";
import { newRunId } from "./calls";
import { comparePeers } from "./peers/compare";
import { peerFigures } from "./peers/peer-report";
import { formatTable } from "./report";
import { machine, PRODUCTION_COST, progress, THREADPOOL_SIZE, TIMING, runEntry } from "./run-settings";
import { checkRegistrationsOf, checkPassed } from "./profile-check";

async function main(): Promise<number> {
  progress(`starting the stack under ${path.relative(ROOT, BENCH_DIR)}/`);
  const stack = await startBenchStack({ bcryptCost: PRODUCTION_COST, threadpoolSize: THREADPOOL_SIZE });
  try {
    await stack.stopBaselines();
    const registered = new Set<string>();
    const { phases, peakRssMb } = await comparePeers({ stack, timing: TIMING, runId: newRunId(), registered, progress });
    const rows = peerFigures(phases, peakRssMb);
    const check = await checkRegistrationsOf(stack, registered);
    const out = path.join(BENCH_DIR, "peers-results.json");
    await writeFile(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), timing: TIMING, figures: rows, phases, peakRssMb, check }, null, 2)}\n`,
    );
    console.log(`\n${formatTable(rows)}\n`);
    console.log(`every registered user has a profile: ${checkPassed(check) ? "yes" : "NO"}; results: ${path.relative(ROOT, out)}`);
    return checkPassed(check) ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

runEntry(main);
