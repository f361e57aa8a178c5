import type { Client } from "@connectrpc/connect";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { EmailCodePurpose, type UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { callRpc } from "../activity-failures";
import type { Mailer } from "../mail/mailer";
import { passwordChangedMail, passwordResetMail } from "../mail/messages";
import { CALL_TIMEOUT_MS } from "../registration/activities";
import type { PasswordResetActivities } from "./contract";

export interface PasswordClients {
  userAdmin: Client<typeof UserAdminService>;
  mailer: Mailer;
}

// As for verification: the code is made by the auth service and mailed here, never returned.
export function createPasswordResetActivities(clients: PasswordClients): PasswordResetActivities {
  return {
    async sendPasswordResetCode({ userId }) {
      const issued = await callRpc(() =>
        clients.userAdmin.issueEmailCode({ userId, purpose: EmailCodePurpose.RESET_PASSWORD }, { timeoutMs: CALL_TIMEOUT_MS }),
      );
      const expireTime = issued.expireTime !== undefined ? timestampDate(issued.expireTime) : new Date();
      await clients.mailer.send(passwordResetMail(issued.email, issued.code, expireTime));
    },

    async sendPasswordChangedNotice({ userId }) {
      const { user } = await callRpc(() => clients.userAdmin.getUser({ id: userId }, { timeoutMs: CALL_TIMEOUT_MS }));
      if (user !== undefined) await clients.mailer.send(passwordChangedMail(user.email));
    },
  };
}
