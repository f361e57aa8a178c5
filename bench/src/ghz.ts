// Drives a unary gRPC method with ghz (github.com/bojand/ghz), an established load tool in a
// process of its own, and reads its per-call results back as samples.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../../scripts/root";
import type { ClosedLoopResult } from "./closed-loop";
import type { Sample } from "./samples";

const run = promisify(execFile);

export interface GhzOptions {
  // Fully qualified, as ghz names it: "flowshield.profile.v1.ProfileService.GetProfile".
  method: string;
  proto: string;
  // host:port of a cleartext HTTP/2 listener.
  target: string;
  data: object;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

// The part of ghz's JSON report read here: every call's latency (ns) and status.
interface GhzReport {
  total: number;
  details: Array<{ latency: number; status: string; error?: string }>;
}

export function ghzBinary(): string {
  const local = path.join(ROOT, ".tools", "bin", "ghz");
  if (existsSync(local)) return local;
  throw new Error("ghz is not installed: run `make ghz` (it builds one into .tools/bin)");
}

// A warm-up run for a while, whose results are dropped but whose rate sizes the measured run: that
// one makes a fixed number of calls, about `durationMs` worth. (A run cut off by time cancels the
// calls in flight, which would show as failures that the server never made.)
export async function runGhz(options: GhzOptions): Promise<ClosedLoopResult> {
  const warmup = samplesOf(await ghz(options, { duration: `${Math.round(options.warmupMs)}ms` }));
  const rate = warmup.samples.filter((s) => s.ok).length / warmup.elapsedMs;
  const total = Math.max(options.concurrency, Math.round(rate * options.durationMs));
  return samplesOf(await ghz(options, { total: String(total) }));
}

// Load for a fixed time (the warm-up and the window of a phase measured beside it), whatever it
// answers: an attack, whose calls are refused.
export async function runGhzFor(options: GhzOptions): Promise<ClosedLoopResult> {
  return samplesOf(await ghz(options, { duration: `${Math.round(options.warmupMs + options.durationMs)}ms` }));
}

export function samplesOf(report: GhzReport): ClosedLoopResult {
  const samples: Sample[] = (report.details ?? []).map((d) => ({
    ok: d.status === "OK",
    ms: d.latency / 1e6,
    ...(d.status === "OK" ? {} : { error: d.status }),
  }));
  return { samples, elapsedMs: report.total / 1e6 };
}

async function ghz(options: GhzOptions, length: { duration: string } | { total: string }): Promise<GhzReport> {
  const args = [
    "--insecure",
    `--proto=${path.join(ROOT, "proto", options.proto)}`,
    `--import-paths=${path.join(ROOT, "proto")}`,
    `--call=${options.method}`,
    `--data=${JSON.stringify(options.data)}`,
    `--concurrency=${options.concurrency}`,
    "duration" in length ? `--duration=${length.duration}` : `--total=${length.total}`,
    "--format=json",
    options.target,
  ];
  const { stdout } = await run(ghzBinary(), args, { maxBuffer: 1024 * 1024 * 1024 });
  return JSON.parse(stdout) as GhzReport;
}
