// The attack the benchmark measures a user's sign-ins beside: 300 callers at once sending wrong
// passwords for another account, from ghz (a process of its own, so that the process timing the
// user's logins does not share its event loop with 300 callers).
import { runGhzFor } from "./ghz";
import type { ClosedLoopResult } from "./closed-loop";

export const FLOOD_CONCURRENCY = 300;

// For `timing`'s warm-up and window, whatever the service answers (it refuses nearly every call).
export function wrongPasswordFlood(
  authPublicUrl: string,
  email: string,
  timing: { warmupMs: number; durationMs: number },
): Promise<ClosedLoopResult> {
  return runGhzFor({
    method: "flowshield.auth.v1.AuthService.Login",
    proto: "flowshield/auth/v1/auth_service.proto",
    target: new URL(authPublicUrl).host,
    data: { email, password: "a wrong guess" },
    concurrency: FLOOD_CONCURRENCY,
    ...timing,
  });
}
