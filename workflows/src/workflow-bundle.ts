import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import { workflowInterceptorModules, workflowsPath } from "./worker";

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

// Every workflow bundled ahead of time, for `make build` and for the tests' workers.
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: workflowsPath(), workflowInterceptorModules: workflowInterceptorModules(), logger: quiet });
}
