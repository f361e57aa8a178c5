// The task queue the registration workflows and their activities run on, unless
// TEMPORAL_TASK_QUEUE says otherwise (the starter and the worker must agree).
export const DEFAULT_TASK_QUEUE = "flowshield-registration";
