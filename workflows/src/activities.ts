import { createAccountRemovalActivities } from "./account-removal/activities";
import { createEmailVerificationActivities } from "./email-verification/activities";
import type { Mailer } from "@flowshield/common/mail/mailer";
import { createPasswordResetActivities } from "./password-reset/activities";
import { createRegistrationActivities } from "./registration/activities";
import { createSecurityNoticeActivities } from "./security-notice/activities";
import type { ServiceClients } from "./service-calls";

export interface ActivityClients extends ServiceClients {
  mailer: Mailer;
}

// Every activity of every workflow the worker hosts (workflows.ts), over the clients they share.
export function createActivities(clients: ActivityClients) {
  return {
    ...createRegistrationActivities(clients),
    ...createAccountRemovalActivities(clients),
    ...createEmailVerificationActivities(clients),
    ...createPasswordResetActivities(clients),
    ...createSecurityNoticeActivities(clients),
  };
}
