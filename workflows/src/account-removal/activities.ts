import { Context } from "@temporalio/activity";
import type { AccountRemovalActivities } from "@flowshield/contracts/account-removal";
import { CALL_TIMEOUT_MS, callRpc, type ServiceClients } from "../service-calls";

// An account's data removed from both services (the saga's compensations, an account never
// verified): idempotent deletes, retried until done.
export function createAccountRemovalActivities(clients: ServiceClients): AccountRemovalActivities {
  return {
    async deleteUser(userId) {
      countRemovalRetry("deleteUser");
      await callRpc(() => clients.userAdmin.deleteUser({ id: userId }, { timeoutMs: CALL_TIMEOUT_MS }));
    },

    async deleteProfile(userId) {
      countRemovalRetry("deleteProfile");
      await callRpc(() => clients.profileAdmin.deleteProfile({ userId }, { timeoutMs: CALL_TIMEOUT_MS }));
    },
  };
}

// A removal that must be retried is the saga's warning sign (a service unreachable while
// undoing): counted through the SDK's meter, beside its own activity metrics.
function countRemovalRetry(step: string): void {
  const { info, metricMeter } = Context.current();
  if (info.attempt > 1)
    metricMeter.createCounter("flowshield_compensation_retries", "1", "Compensation attempts after the first").add(1, { step });
}
