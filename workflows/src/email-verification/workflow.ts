import { condition, defineSignal, log, proxyActivities, setHandler } from "@temporalio/workflow";
import { MAIL_ACTIVITY_OPTIONS } from "../mail/activity-options";
import {
  EMAIL_VERIFIED_SIGNAL,
  RESEND_VERIFICATION_SIGNAL,
  type EmailVerificationActivities,
  type EmailVerificationInput,
  type EmailVerificationOutcome,
} from "@flowshield/contracts/email-verification";

const mail = proxyActivities<Pick<EmailVerificationActivities, "sendVerificationCode">>(MAIL_ACTIVITY_OPTIONS);

// The removal saga's steps are retried until they succeed: an account past its deadline is
// always removed in the end, however long a service is down.
const removal = proxyActivities<Omit<EmailVerificationActivities, "sendVerificationCode">>({
  startToCloseTimeout: "15 seconds",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute" },
});

export const emailVerified = defineSignal(EMAIL_VERIFIED_SIGNAL);
export const resendVerification = defineSignal(RESEND_VERIFICATION_SIGNAL);

// One new account's email verification: mail a code; mail a fresh one on request and a reminder
// at half-time; at the deadline, remove the account unless its email was verified — the
// database decides (expireUnverifiedUser), so a verification racing the deadline is never lost.
export async function emailVerificationWorkflow(input: EmailVerificationInput): Promise<EmailVerificationOutcome> {
  let verified = false;
  let resendsAsked = 0;
  setHandler(emailVerified, () => void (verified = true));
  setHandler(resendVerification, () => void resendsAsked++);

  const deadline = Date.now() + input.ttlMs;
  const reminderAt = deadline - input.ttlMs / 2;
  let reminded = false;
  let resendsDone = 0;

  if (!(await sendCode(input.userId, false))) return "verified";
  while (!verified) {
    const wakeAt = reminded ? deadline : reminderAt;
    await condition(() => verified || resendsAsked > resendsDone, Math.max(1, wakeAt - Date.now()));
    if (verified) break;
    if (resendsAsked > resendsDone) {
      resendsDone = resendsAsked;
      if (!(await sendCode(input.userId, false))) return "verified";
    } else if (!reminded) {
      reminded = true;
      if (!(await sendCode(input.userId, true))) return "verified";
    } else {
      const { expired } = await removal.expireUnverifiedUser(input.userId);
      if (!expired) return "verified";
      await removal.deleteProfile(input.userId);
      await removal.deleteUser(input.userId);
      return "expired";
    }
  }
  return "verified";
}

// True when a code was mailed; false when the email is verified already. A mail that could not be
// sent within its retries is logged, and the workflow goes on.
async function sendCode(userId: string, reminder: boolean): Promise<boolean> {
  try {
    return (await mail.sendVerificationCode({ userId, reminder })).sent;
  } catch (err) {
    log.warn("the verification mail could not be sent", { reminder, error: String(err) });
    return true;
  }
}
