// `make bench-profile`: where a login's, a registration's, an introspection's and a grant's time
// goes, under the peers' load (peers/compare.ts's calls and concurrency), and a login's beside the
// benchmark's flood (flood.ts), on the production build.
// For each flow: auth restarted under --cpu-prof; the CPU every process and thread spent per call
// (profiling/cpu-split.ts); auth's JavaScript thread by concern (profiling/cpu-profile.ts); auth's
// event-loop delay and its database pool's waiting callers. Writes .bench/profile.md.
import { mkdir, readdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { ROOT } from "../../scripts/stack";
import { AUTH_NODE_OPTIONS, BENCH_DIR, startBenchStack, type BenchStack } from "./bench-stack";
import { benchUser, newRunId } from "./calls";
import { FLOOD_CONCURRENCY, wrongPasswordFlood } from "./flood";
import { runClosedLoop } from "./closed-loop";
import { createServiceClient } from "./oidc-calls";
import { PEER_CONCURRENCY } from "./peers/compare";
import { basicAuthorization, httpJson } from "./peers/http-json";
import { flowshieldLoginCall, flowshieldRegisterCall, introspectionCall, tokenCall } from "./peers/peer-calls";
import { cpuPerCall, cpuSnapshot } from "./profiling/cpu-split";
import { profileByConcern } from "./profiling/cpu-profile";
import { summarise } from "./samples";
import { PRODUCTION_COST, progress, THREADPOOL_SIZE, TIMING, runEntry } from "./run-settings";

const PROFILES = path.join(BENCH_DIR, "profiles");
// More settings for auth while it is profiled, to see what one costs (AUTH_ENV='{"RISK_ENGINE":"off"}').
const AUTH_ENV = JSON.parse(process.env.AUTH_ENV || "{}") as Record<string, string>;

async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(url)).text();
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^([a-z0-9_]+)(\{[^}]*\})? ([\d.e+-]+)$/.exec(line);
    if (m !== null) values.set(`${m[1]}${m[2] ?? ""}`, Number(m[3]));
  }
  return values;
}

// Auth's database pool's waiting callers, sampled every 250 ms while `during` runs.
async function poolWaits<T>(metricsUrl: string, during: Promise<T>): Promise<{ result: T; mean: number; max: number }> {
  const seen: number[] = [];
  let done = false;
  const sampling = (async () => {
    while (!done) {
      const m = await scrape(metricsUrl).catch(() => new Map<string, number>());
      seen.push(m.get('flowshield_db_pool_waiting{database="auth"}') ?? 0);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const result = await during.finally(() => (done = true));
  await sampling;
  return { result, mean: seen.reduce((a, b) => a + b, 0) / Math.max(seen.length, 1), max: Math.max(0, ...seen) };
}

// Resident memory and what V8 holds of it: its heap (used of total) and memory outside the heap
// (Buffers and typed arrays: the risk engine's databases, sockets' buffers).
function memoryOf(m: Map<string, number>): string {
  const mb = (name: string) => ((m.get(name) ?? Number.NaN) / 2 ** 20).toFixed(0);
  return `RSS ${mb("process_resident_memory_bytes")} MB (heap ${mb("nodejs_heap_size_used_bytes")} of ${mb("nodejs_heap_size_total_bytes")} MB, outside it ${mb("nodejs_external_memory_bytes")} MB)`;
}

interface Flow {
  name: string;
  concurrency: number;
  // Made after auth's restart: the call, and whatever it needs first.
  prepare(stack: BenchStack): Promise<(n: number) => Promise<unknown>>;
  // Load run beside the calls from their warm-up to past their window (an attack), and what it did.
  beside?: (stack: BenchStack) => Promise<string>;
}

async function profileFlow(stack: BenchStack, flow: Flow): Promise<string> {
  const dir = path.join(PROFILES, flow.name.replace(/\W+/g, "-"));
  await mkdir(dir, { recursive: true });
  progress(`profiling ${flow.name}`);
  await stack.restartAuth(PRODUCTION_COST, { ...AUTH_ENV, NODE_OPTIONS: `${AUTH_NODE_OPTIONS} --cpu-prof --cpu-prof-dir=${dir}` });
  const memory = async () =>
    (
      await Promise.all(
        (
          [
            ["auth", stack.authMetricsUrl],
            ["profile", stack.profileMetricsUrl],
            ["worker", stack.workerMetricsUrl],
          ] as const
        ).map(async ([name, url]) => `${name} ${memoryOf(await scrape(url))}`),
      )
    ).join("; ");
  const atRest = await memory();
  const call = await flow.prepare(stack);
  const beside = flow.beside?.(stack);
  await runClosedLoop({ concurrency: flow.concurrency, warmupMs: 0, durationMs: TIMING.warmupMs, call });
  await scrape(stack.authMetricsUrl); // resets the event-loop delay's histogram
  const before = await cpuSnapshot();
  // Numbered past the warm-up's calls: a registration's email must be new. Every call made between
  // the two CPU snapshots is counted, those that end after the window too (the loop waits for them).
  let calls = 0;
  const measured = (n: number) => call(n + 1_000_000).finally(() => calls++);
  const { result, mean, max } = await poolWaits(
    stack.authMetricsUrl,
    runClosedLoop({ concurrency: flow.concurrency, warmupMs: 0, durationMs: TIMING.durationMs, call: measured }),
  );
  const after = await cpuSnapshot();
  const metricsAfter = await scrape(stack.authMetricsUrl);
  const lag = metricsAfter.get("nodejs_eventloop_lag_p99_seconds") ?? Number.NaN;
  const underLoad = await memory();
  const besideNote = await beside;
  await stack.restartAuth(PRODUCTION_COST);
  const summary = summarise(result.samples, result.elapsedMs);
  const profileFile = (await readdir(dir)).find((f) => f.endsWith(".cpuprofile"));
  const profile = profileFile === undefined ? undefined : await profileByConcern(path.join(dir, profileFile));
  const busy = profile === undefined ? 0 : profile.totalMs - (profile.concerns.find(([c]) => c === "(idle)")?.[1] ?? 0);
  return [
    `### ${flow.name}: ${summary.perSecond.toFixed(1)}/s at ${flow.concurrency} in flight, p50 ${summary.p50Ms.toFixed(0)} ms, p99 ${summary.p99Ms.toFixed(0)} ms (${summary.failed} failed${summary.failed > 0 ? `: ${JSON.stringify(summary.errors)}` : ""})`,
    "",
    ...(besideNote !== undefined ? [`beside it: ${besideNote}`, ""] : []),
    `auth's event-loop delay p99 ${(lag * 1000).toFixed(1)} ms; auth's pool (10): ${mean.toFixed(2)} callers waiting on average, ${max} at most`,
    "",
    `memory at auth's start: ${atRest}`,
    "",
    `after the load: ${underLoad}`,
    "",
    "| CPU per call, by process / thread | ms |",
    "| --- | --- |",
    ...cpuPerCall(before, after, calls).map(([k, ms]) => `| ${k} | ${ms.toFixed(ms < 1 ? 2 : 1)} |`),
    "",
    "| auth's JavaScript thread, by concern (self time, whole process life) | share of busy time |",
    "| --- | --- |",
    ...(profile?.concerns ?? [])
      .filter(([c, ms]) => c !== "(idle)" && ms / busy >= 0.01)
      .map(([c, ms]) => `| ${c} | ${((100 * ms) / busy).toFixed(1)} % |`),
    "",
  ].join("\n");
}

async function main(): Promise<number> {
  const stack = await startBenchStack({ bcryptCost: PRODUCTION_COST, threadpoolSize: THREADPOOL_SIZE });
  const auth = httpJson(stack.authPublicUrl, PEER_CONCURRENCY.provider);
  try {
    await stack.stopBaselines();
    const runId = newRunId();
    const registered = new Set<string>();
    const service = await createServiceClient(stack, `profile-${runId}`, stack.authPublicUrl);
    const loginEmails = Array.from({ length: 32 }, (_, n) => `plogin_${runId}_${n}@bench.example`);
    const flows: Flow[] = [
      {
        name: "login",
        concurrency: PEER_CONCURRENCY.hashing,
        async prepare() {
          const register = flowshieldRegisterCall(auth, runId, "plogin", registered);
          for (let n = 0; n < loginEmails.length; n++) await register(n);
          return flowshieldLoginCall(auth, loginEmails);
        },
      },
      {
        // The benchmark's attack (main.ts): one user's sign-ins while 300 callers send wrong
        // passwords for another account.
        name: "login beside a flood",
        concurrency: 1,
        async prepare() {
          const register = flowshieldRegisterCall(auth, runId, "pflood", registered);
          await register(0);
          await register(1);
          return flowshieldLoginCall(auth, [benchUser(runId, "pflood", 0).email]);
        },
        async beside(stack) {
          // Past the window by the snapshots' and the scrapes' time.
          const timing = { warmupMs: TIMING.warmupMs, durationMs: TIMING.durationMs + 2_000 };
          const flood = await wrongPasswordFlood(stack.authPublicUrl, benchUser(runId, "pflood", 1).email, timing);
          const { errors } = summarise(flood.samples, flood.elapsedMs);
          const rate = (flood.samples.length * 1000) / flood.elapsedMs;
          return `${FLOOD_CONCURRENCY} callers sending wrong passwords for another account, ${rate.toFixed(0)} answers/s (${JSON.stringify(errors)})`;
        },
      },
      {
        name: "registration",
        concurrency: PEER_CONCURRENCY.hashing,
        prepare: async () => flowshieldRegisterCall(auth, runId, "preg", registered),
      },
      {
        name: "introspection",
        concurrency: PEER_CONCURRENCY.provider,
        async prepare() {
          const token = String(await tokenCall(auth, "/oidc/token", service)());
          return introspectionCall(auth, "/oidc/token/introspection", token, basicAuthorization(service.clientId, service.clientSecret));
        },
      },
      {
        name: "client-credentials grant",
        concurrency: PEER_CONCURRENCY.provider,
        prepare: async () => tokenCall(auth, "/oidc/token", service),
      },
    ];
    const only = process.env.FLOWS ? process.env.FLOWS.split(",") : undefined;
    const sections = [];
    for (const flow of flows.filter((f) => only === undefined || only.includes(f.name))) sections.push(await profileFlow(stack, flow));
    const out = path.join(BENCH_DIR, "profile.md");
    await writeFile(out, `${sections.join("\n")}\n`);
    console.log(`\n${sections.join("\n")}\nwritten to ${path.relative(ROOT, out)}`);
    return 0;
  } finally {
    auth.close();
    await stack.stop();
  }
}

runEntry(main);
