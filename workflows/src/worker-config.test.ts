import { workerSettingsFromEnv } from "./worker-config";

// The prebuilt bundle a worker loads: the traced twin only when tracing is on.

function settingsWith(env: Record<string, string>) {
  const saved = process.env;
  process.env = { PAYLOAD_KEYS: `k:${Buffer.alloc(32, 1).toString("base64")}`, ...env };
  try {
    return workerSettingsFromEnv();
  } finally {
    process.env = saved;
  }
}

test("WORKFLOW_BUNDLE_PATH as given while tracing is off, its -traced twin when it is on, and none unless given", () => {
  expect(settingsWith({ WORKFLOW_BUNDLE_PATH: "dist/workflow-bundle.js" }).workflowBundle).toEqual({ codePath: "dist/workflow-bundle.js" });
  expect(
    settingsWith({ WORKFLOW_BUNDLE_PATH: "dist/workflow-bundle.js", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).workflowBundle,
  ).toEqual({ codePath: "dist/workflow-bundle-traced.js" });
  expect(settingsWith({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).workflowBundle).toBeUndefined();
});
