import { startTracing } from "@flowshield/common/tracing";

// Started before the rest of the process is loaded (main.ts imports this module first): the
// database driver's instrumentation hooks its loading.
export const tracing = startTracing("profile");
