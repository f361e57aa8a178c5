import { RateLimitedError } from "@flowshield/common/contract/errors";
import type { Caller } from "../../audit/domain/audit";
import type { AuthDeps } from "../../kernel/app/dependencies";

// Takes from a limit, auditing the refusal that is the first of its window (`rate_limited`, naming
// the limit; the caller's address and request id come with every event); the rest pass as they are.
export async function limited<T>(deps: Pick<AuthDeps, "audit">, caller: Caller, take: () => Promise<T>): Promise<T> {
  try {
    return await take();
  } catch (err) {
    if (err instanceof RateLimitedError && err.firstRefusalOf !== undefined) {
      await deps.audit.record(caller, [{ type: "rate_limited", detail: { limit: err.firstRefusalOf } }]);
    }
    throw err;
  }
}
