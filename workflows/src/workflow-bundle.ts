import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import { workflowInterceptorModules, workflowsPath } from "./worker";

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

// Every workflow bundled ahead of time, for `make build` (both bundles) and for the tests'
// workers; `traced` adds OpenTelemetry's workflow interceptors (worker.ts says why apart).
export function bundleWorkflows(options: { traced?: boolean } = {}): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: workflowsPath(),
    workflowInterceptorModules: workflowInterceptorModules(options.traced ?? false),
    logger: quiet,
  });
}
