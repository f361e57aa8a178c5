// The workflow bundle's entry point: every workflow the worker hosts.
export { registrationWorkflow } from "./registration/workflow";
