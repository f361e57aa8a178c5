import type { Client } from "@connectrpc/connect";
import { Context } from "@temporalio/activity";
import type { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { callRpc } from "../activity-failures";
import type { RegistrationActivities } from "./contract";

export interface SagaClients {
  userAdmin: Client<typeof UserAdminService>;
  profileAdmin: Client<typeof ProfileAdminService>;
}

// Each call is bounded, so a hung service shows up as a retried attempt, not a stuck activity.
export const CALL_TIMEOUT_MS = 10_000;
// A call that mails (SendEmailCode): the auth service's SMTP timeouts fit inside it, and it fits
// inside the mail activities' 30 s (mail/activity-options.ts).
export const MAIL_CALL_TIMEOUT_MS = 25_000;

// An answer without the id we asked for is a bug in the service that sent it. Failing loudly
// (and being retried, visibly, in the Web UI) beats carrying on with an invented value.
function required(id: string | undefined, what: string): string {
  if (id === undefined || id === "") throw new Error(`${what} answered without an id`);
  return id;
}

// The saga's steps: thin gRPC calls to the services' internal listeners, which make them
// idempotent. Results are ids only: the history carries nothing else.
export function createRegistrationActivities(clients: SagaClients): RegistrationActivities {
  return {
    async createUser(input) {
      const res = await callRpc(() => clients.userAdmin.createUser(input, { timeoutMs: CALL_TIMEOUT_MS }));
      return { userId: required(res.user?.id, "CreateUser") };
    },

    async createProfile(input) {
      const res = await callRpc(() => clients.profileAdmin.createProfile(input, { timeoutMs: CALL_TIMEOUT_MS }));
      return { profileId: required(res.profile?.id, "CreateProfile") };
    },

    async activateUser(userId) {
      await callRpc(() => clients.userAdmin.activateUser({ id: userId }, { timeoutMs: CALL_TIMEOUT_MS }));
    },

    async deleteUser(userId) {
      countCompensationRetry("deleteUser");
      await callRpc(() => clients.userAdmin.deleteUser({ id: userId }, { timeoutMs: CALL_TIMEOUT_MS }));
    },

    async deleteProfile(userId) {
      countCompensationRetry("deleteProfile");
      await callRpc(() => clients.profileAdmin.deleteProfile({ userId }, { timeoutMs: CALL_TIMEOUT_MS }));
    },
  };
}

// A compensation that must be retried is the saga's warning sign (a service unreachable while
// undoing): counted through the SDK's meter, beside its own activity metrics.
function countCompensationRetry(step: string): void {
  const { info, metricMeter } = Context.current();
  if (info.attempt > 1)
    metricMeter.createCounter("flowshield_compensation_retries", "1", "Compensation attempts after the first").add(1, { step });
}
