import { securityNoticeMail } from "@flowshield/common/mail/mail-messages";
import type { Mailer } from "@flowshield/common/mail/mailer";
import type { SecurityNoticeActivities } from "@flowshield/contracts/security-notice";
import { CALL_TIMEOUT_MS, callRpc, type ServiceClients } from "../service-calls";

export function createSecurityNoticeActivities(clients: Pick<ServiceClients, "userAdmin"> & { mailer: Mailer }): SecurityNoticeActivities {
  return {
    async sendSecurityNotice({ userId, notice }) {
      const { user } = await callRpc(() => clients.userAdmin.getUser({ id: userId }, { timeoutMs: CALL_TIMEOUT_MS }));
      if (user !== undefined) await clients.mailer.send(securityNoticeMail(user.email, notice));
    },
  };
}
