import { proxyActivities } from "@temporalio/workflow";
import { MAIL_ACTIVITY_OPTIONS } from "../mail/activity-options";
import type { SecurityNoticeActivities, SecurityNoticeInput } from "@flowshield/contracts/security-notice";

const { sendSecurityNotice, sendSignInNotice } = proxyActivities<SecurityNoticeActivities>(MAIL_ACTIVITY_OPTIONS);

// A change to a user's second factors, or a sign-in new to the account, told to the user by mail:
// retried like every mail, and a notice that could not be sent fails the workflow, visibly.
export async function securityNoticeWorkflow(input: SecurityNoticeInput): Promise<void> {
  if (input.notice === "new_sign_in") await sendSignInNotice({ userId: input.userId, signIn: input.signIn });
  else await sendSecurityNotice(input);
}
