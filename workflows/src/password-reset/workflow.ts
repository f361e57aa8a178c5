import { condition, defineSignal, proxyActivities, setHandler } from "@temporalio/workflow";
import { MAIL_ACTIVITY_OPTIONS } from "../mail/activity-options";
import {
  PASSWORD_RESET_SIGNAL,
  RESET_CODE_TTL_MS,
  RESET_REQUESTED_SIGNAL,
  type PasswordResetActivities,
  type PasswordResetOutcome,
  type PasswordWorkflowInput,
} from "@flowshield/contracts/password-reset";

// A notice or a code that could not be sent within the retries fails the workflow, visibly.
const { sendPasswordResetCode, sendPasswordChangedNotice } = proxyActivities<PasswordResetActivities>(MAIL_ACTIVITY_OPTIONS);

export const resetRequested = defineSignal(RESET_REQUESTED_SIGNAL);
export const passwordReset = defineSignal(PASSWORD_RESET_SIGNAL);

// One password reset: mail a code; mail a fresh one when asked again; once ResetPassword has set
// the new password and ended the sessions, mail the "your password was changed" notice. Without a
// reset within the code's life (RESET_CODE_TTL_MS) after the last code, it ends (the code has
// expired by then).
export async function passwordResetWorkflow(input: PasswordWorkflowInput): Promise<PasswordResetOutcome> {
  let done = false;
  let asked = 0;
  setHandler(passwordReset, () => void (done = true));
  setHandler(resetRequested, () => void asked++);

  for (;;) {
    // Requests up to here (the one that started the workflow among them) are answered by this code.
    const sent = asked;
    await sendPasswordResetCode(input);
    const woke = await condition(() => done || asked > sent, RESET_CODE_TTL_MS);
    if (done) break;
    if (!woke) return "expired";
  }
  await sendPasswordChangedNotice(input);
  return "reset";
}

// ChangePassword's notice, on its own: the password was changed by its signed-in owner.
export async function passwordChangedNoticeWorkflow(input: PasswordWorkflowInput): Promise<void> {
  await sendPasswordChangedNotice(input);
}
