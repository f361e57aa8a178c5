// The worker's workflow bundle entry point: every workflow the registration task queue runs.
export { registrationWorkflow } from "./registration-workflow";
