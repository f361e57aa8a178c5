import type { Client } from "@connectrpc/connect";
import type { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { createAccountRemovalActivities } from "./account-removal/activities";
import { createEmailVerificationActivities } from "./email-verification/activities";
import type { Mailer } from "@flowshield/common/mail/mailer";
import { createPasswordResetActivities } from "./password-reset/activities";
import { createRegistrationActivities } from "./registration/activities";

export interface ActivityClients {
  userAdmin: Client<typeof UserAdminService>;
  profileAdmin: Client<typeof ProfileAdminService>;
  mailer: Mailer;
}

// Every activity of every workflow the worker hosts (workflows.ts), over the clients they share.
export function createActivities(clients: ActivityClients) {
  return {
    ...createRegistrationActivities(clients),
    ...createAccountRemovalActivities(clients),
    ...createEmailVerificationActivities(clients),
    ...createPasswordResetActivities(clients),
  };
}
