import type { Client } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ApplicationFailure } from "@temporalio/common";
import { ERROR_CATALOGUE } from "@flowshield/common/error-catalogue";
import { EmailCodePurpose, type UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { callRpc } from "../activity-failures";
import type { Mailer } from "../mail/mailer";
import { verificationMail } from "../mail/messages";
import { CALL_TIMEOUT_MS } from "../registration/activities";
import type { EmailVerificationActivities } from "./contract";

export interface VerificationClients {
  userAdmin: Client<typeof UserAdminService>;
  profileAdmin: Client<typeof ProfileAdminService>;
  mailer: Mailer;
}

// The code is made (and its hash stored) by the auth service and mailed here, inside one
// activity: it never becomes an activity result, so it never enters the history.
// deleteProfile and deleteUser are the registration saga's compensations (registration/activities.ts).
export function createEmailVerificationActivities(
  clients: VerificationClients,
): Omit<EmailVerificationActivities, "deleteProfile" | "deleteUser"> {
  return {
    async sendVerificationCode({ userId, reminder }) {
      let issued;
      try {
        issued = await callRpc(() =>
          clients.userAdmin.issueEmailCode({ userId, purpose: EmailCodePurpose.VERIFY_EMAIL }, { timeoutMs: CALL_TIMEOUT_MS }),
        );
      } catch (err) {
        // Verified (or gone) already: nothing to send.
        if (err instanceof ApplicationFailure && err.type === ERROR_CATALOGUE.failedPrecondition.failureType) return { sent: false };
        if (err instanceof ApplicationFailure && err.type === ERROR_CATALOGUE.notFound.failureType) return { sent: false };
        throw err;
      }
      const expireTime = issued.expireTime !== undefined ? timestampDate(issued.expireTime) : new Date();
      await clients.mailer.send(verificationMail(issued.email, issued.code, expireTime, reminder));
      return { sent: true };
    },

    async expireUnverifiedUser(userId) {
      const res = await callRpc(() => clients.userAdmin.expireUnverifiedUser({ userId }, { timeoutMs: CALL_TIMEOUT_MS }));
      return { expired: res.expired };
    },
  };
}
