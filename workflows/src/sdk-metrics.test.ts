import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "../../scripts/free-port";
import { sdkMetricsReader } from "./sdk-metrics";

// The worker appends the SDK core's metrics to its own; a core exporter that does not answer
// leaves the worker's metrics served, flagged.

test("the core's metrics follow an up gauge of 1; nothing listening gives 0 and no error", async () => {
  const core = http.createServer((_req, res) => res.end("temporal_workflow_completed_total 2\n"));
  await new Promise<void>((resolve) => core.listen(0, "127.0.0.1", resolve));
  try {
    const text = await sdkMetricsReader((core.address() as AddressInfo).port)();
    expect(text).toContain("flowshield_worker_sdk_metrics_up 1\n");
    expect(text).toContain("temporal_workflow_completed_total 2\n");
  } finally {
    await new Promise((resolve) => core.close(resolve));
  }
  const nobody = await sdkMetricsReader(await freePort())();
  expect(nobody).toContain("flowshield_worker_sdk_metrics_up 0\n");
  expect(nobody).not.toContain("temporal_");
});
