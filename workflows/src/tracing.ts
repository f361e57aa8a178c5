import { startTracing } from "@flowshield/common/observability/tracing";

// Started before the rest of the process is loaded (main.ts imports this module first), like the
// services' (services/*/src/tracing.ts).
export const tracing = startTracing("worker");
