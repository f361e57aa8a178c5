// What a load phase measured, and the figures made from it. Only successful calls count towards a
// rate or a latency: a fast error is not a login.

export interface Sample {
  ok: boolean;
  ms: number;
  // The status code name of a failed call ("Unavailable", "InvalidArgument", …), to show what went wrong.
  error?: string;
}

export interface Summary {
  ok: number;
  failed: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  // How many calls failed with each error code.
  errors: Record<string, number>;
}

export function summarise(samples: readonly Sample[], elapsedMs: number): Summary {
  const latencies = samples
    .filter((s) => s.ok)
    .map((s) => s.ms)
    .sort((a, b) => a - b);
  const errors: Record<string, number> = {};
  for (const s of samples) {
    if (!s.ok) errors[s.error ?? "unknown"] = (errors[s.error ?? "unknown"] ?? 0) + 1;
  }
  return {
    ok: latencies.length,
    failed: samples.length - latencies.length,
    perSecond: elapsedMs > 0 ? (latencies.length * 1000) / elapsedMs : 0,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    errors,
  };
}

// The nearest-rank percentile of sorted values; NaN when there are none, so that a phase where
// nothing succeeded cannot show a latency.
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1] ?? Number.NaN;
}
