import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { securityNoticeMail } from "@flowshield/common/mail/mail-messages";
import { EmailCodePurpose } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { Mailer } from "@flowshield/common/mail/mailer";
import type { SecurityNoticeActivities } from "@flowshield/contracts/security-notice";
import { CALL_TIMEOUT_MS, callRpc, type ServiceClients } from "../service-calls";

export function createSecurityNoticeActivities(clients: Pick<ServiceClients, "userAdmin"> & { mailer: Mailer }): SecurityNoticeActivities {
  return {
    async sendSecurityNotice({ userId, notice }) {
      const { user } = await callRpc(() => clients.userAdmin.getUser({ id: userId }, { timeoutMs: CALL_TIMEOUT_MS }));
      if (user !== undefined) await clients.mailer.send(securityNoticeMail(user.email, notice));
    },

    // Its "this was not me" link holds a code: auth makes it and mails the notice itself.
    async sendSignInNotice({ userId, signIn }) {
      await callRpc(() =>
        clients.userAdmin.sendEmailCode(
          {
            userId,
            purpose: EmailCodePurpose.END_SESSIONS,
            signIn: { time: timestampFromDate(new Date(signIn.time)), place: signIn.place, device: signIn.device },
          },
          { timeoutMs: CALL_TIMEOUT_MS },
        ),
      );
    },
  };
}
