import { startTracing } from "@flowshield/common/observability/tracing";

// Started before the rest of the process is loaded (main.ts imports this module first): the
// database driver's instrumentation hooks its loading.
export const tracing = startTracing("auth");
