import type { TelemetryOptions } from "@temporalio/worker";

// The Temporal SDK's metrics (its native core's: workflow and activity task latencies, schedule-
// to-start, slots, sticky cache, polls; and what our workflows and activities count through the
// SDK's metric meter), exported by the core in Prometheus' format on a loopback port, which the
// worker's own /metrics appends on every scrape: Prometheus scrapes one port per process.
export function sdkTelemetry(port: number): TelemetryOptions {
  return {
    metrics: {
      prometheus: {
        bindAddress: `127.0.0.1:${port}`,
        // Prometheus' conventions, as prom-client follows them.
        countersTotalSuffix: true,
        useSecondsForDurations: true,
        unitSuffix: true,
      },
    },
  };
}

// Reads the core's exporter; while it does not answer, the worker's own metrics are still served,
// with flowshield_worker_sdk_metrics_up 0 so that a dashboard can tell.
export function sdkMetricsReader(port: number): () => Promise<string> {
  const up = (value: number) =>
    `# HELP flowshield_worker_sdk_metrics_up Whether the Temporal SDK's metrics were read\n# TYPE flowshield_worker_sdk_metrics_up gauge\nflowshield_worker_sdk_metrics_up ${value}\n`;
  return async () => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) return up(0);
      return up(1) + (await res.text());
    } catch {
      return up(0);
    }
  };
}
