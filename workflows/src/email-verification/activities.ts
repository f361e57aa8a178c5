import { ApplicationFailure } from "@temporalio/common";
import { ERROR_CATALOGUE } from "@flowshield/common/contract/error-catalogue";
import { EmailCodePurpose } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { AccountRemovalActivities } from "@flowshield/contracts/account-removal";
import { CALL_TIMEOUT_MS, callRpc, MAIL_CALL_TIMEOUT_MS, type ServiceClients } from "../service-calls";
import type { EmailVerificationActivities } from "@flowshield/contracts/email-verification";

// The code is made, stored (hashed) and mailed by the auth service: it never reaches the worker,
// so it can never enter a workflow's history.
// The removal of an account never verified is the account removal's (account-removal/activities.ts).
export function createEmailVerificationActivities(
  clients: Pick<ServiceClients, "userAdmin">,
): Omit<EmailVerificationActivities, keyof AccountRemovalActivities> {
  return {
    async sendVerificationCode({ userId, reminder }) {
      try {
        await callRpc(() =>
          clients.userAdmin.sendEmailCode(
            { userId, purpose: EmailCodePurpose.VERIFY_EMAIL, reminder },
            { timeoutMs: MAIL_CALL_TIMEOUT_MS },
          ),
        );
      } catch (err) {
        // Verified (or gone) already: nothing to send.
        if (err instanceof ApplicationFailure && err.type === ERROR_CATALOGUE.failedPrecondition.failureType) return { sent: false };
        if (err instanceof ApplicationFailure && err.type === ERROR_CATALOGUE.notFound.failureType) return { sent: false };
        throw err;
      }
      return { sent: true };
    },

    async expireUnverifiedUser(userId) {
      const res = await callRpc(() => clients.userAdmin.expireUnverifiedUser({ userId }, { timeoutMs: CALL_TIMEOUT_MS }));
      return { expired: res.expired };
    },
  };
}
