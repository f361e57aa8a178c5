import { EmailCodePurpose } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { CALL_TIMEOUT_MS, callRpc, MAIL_CALL_TIMEOUT_MS, type ServiceClients } from "../service-calls";
import { passwordChangedMail } from "@flowshield/common/mail/mail-messages";
import type { Mailer } from "@flowshield/common/mail/mailer";
import type { PasswordResetActivities } from "@flowshield/contracts/password-reset";

// As for verification: the code is made and mailed by the auth service, never answered here. The
// notice carries no secret: the worker mails it.
export function createPasswordResetActivities(clients: Pick<ServiceClients, "userAdmin"> & { mailer: Mailer }): PasswordResetActivities {
  return {
    async sendPasswordResetCode({ userId }) {
      await callRpc(() =>
        clients.userAdmin.sendEmailCode(
          { userId, purpose: EmailCodePurpose.RESET_PASSWORD, reminder: false },
          { timeoutMs: MAIL_CALL_TIMEOUT_MS },
        ),
      );
    },

    async sendPasswordChangedNotice({ userId }) {
      const { user } = await callRpc(() => clients.userAdmin.getUser({ id: userId }, { timeoutMs: CALL_TIMEOUT_MS }));
      if (user !== undefined) await clients.mailer.send(passwordChangedMail(user.email));
    },
  };
}
