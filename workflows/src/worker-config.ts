import { envInt, envOptional, envString } from "@flowshield/common/runtime/config";
import { payloadKeysFromEnv } from "@flowshield/common/temporal/payload-codec";
import { listenerPort, LOCAL_TEMPORAL, localUrl } from "@flowshield/common/runtime/topology";
import { tracingEnabled } from "@flowshield/common/observability/tracing";
import { DEFAULT_TASK_QUEUE } from "@flowshield/contracts/task-queue";
import type { WorkerSettings } from "./worker";

// The traced bundle `make build` writes beside the bundle: workflow-bundle.js → workflow-bundle-traced.js.
export const tracedBundlePath = (bundlePath: string) => bundlePath.replace(/(\.js)?$/, "-traced.js");

// Where a worker process connects and what it runs, from the environment. A production build
// ships the workflows bundled ahead of time (`make build`, WORKFLOW_BUNDLE_PATH, and its traced
// twin when tracing is on); without one, the worker bundles them at start.
export function workerSettingsFromEnv(): WorkerSettings {
  const given = envOptional("WORKFLOW_BUNDLE_PATH");
  const bundlePath = given !== undefined && tracingEnabled() ? tracedBundlePath(given) : given;
  return {
    temporalAddress: envString("TEMPORAL_ADDRESS", LOCAL_TEMPORAL.address),
    namespace: envString("TEMPORAL_NAMESPACE", "default"),
    taskQueue: envString("TEMPORAL_TASK_QUEUE", DEFAULT_TASK_QUEUE),
    payloadKeys: payloadKeysFromEnv(),
    temporalTlsDir: envOptional("TEMPORAL_TLS_DIR"),
    shutdownGraceMs: envInt("SHUTDOWN_GRACE_MS", 25_000),
    // Every account waits up to a day in its email verification workflow. The SDK's default cache
    // grows with the heap (~2,300 workflows here) and kept them all: the worker's peak went from
    // ~260 to ~490 MB in `make bench` (BENCHMARKS.md). A waiting workflow evicted from the cache
    // costs nothing until its timer fires or a signal comes, and then one short replay.
    maxCachedWorkflows: envInt("WORKER_MAX_CACHED_WORKFLOWS", 100),
    ...(bundlePath !== undefined ? { workflowBundle: { codePath: bundlePath } } : {}),
  };
}

// The worker process's own connections: the services' internal listeners its activities call,
// the credential they present, and its health listener.
export function workerProcessFromEnv() {
  return {
    serviceCredential: envString("SERVICE_CREDENTIAL"),
    authInternalUrl: envString("AUTH_INTERNAL_URL", localUrl("authInternal")),
    profileInternalUrl: envString("PROFILE_INTERNAL_URL", localUrl("profileInternal")),
    // Mutual TLS to both (https URLs): the worker's certificate and the internal listeners' CA.
    internalTlsDir: envOptional("INTERNAL_TLS_DIR"),
    healthHost: envString("WORKER_HOST", "127.0.0.1"),
    healthPort: listenerPort("workerHealth"),
  };
}

// The worker's metrics: its own listener (GET /metrics: the process's metrics and the Temporal
// SDK's, which the SDK's native core serves on a loopback port of its own, read on each scrape).
export function workerMetricsFromEnv() {
  return {
    host: envString("WORKER_HOST", "127.0.0.1"),
    port: listenerPort("workerMetrics"),
    sdkPort: listenerPort("workerSdkMetrics"),
  };
}
