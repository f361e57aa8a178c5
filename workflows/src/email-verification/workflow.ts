import { condition, defineSignal, log, patched, proxyActivities, proxyLocalActivities, setHandler } from "@temporalio/workflow";
import { MAIL_ACTIVITY_OPTIONS, MAIL_LOCAL_ACTIVITY_OPTIONS } from "../mail/activity-options";
import {
  EMAIL_VERIFIED_SIGNAL,
  RESEND_VERIFICATION_SIGNAL,
  type EmailVerificationActivities,
  type EmailVerificationInput,
  type EmailVerificationOutcome,
} from "@flowshield/contracts/email-verification";

type Mail = Pick<EmailVerificationActivities, "sendVerificationCode">;
// The mails go as local activities: the worker sends one within the workflow task that asks for
// it, where an activity cost the server a task to dispatch and the workflow a task more to go on
// (an activity task and a workflow task fewer for each registration: BENCHMARKS.md). A worker
// lost before its task completes sends that mail again when the task is retried, as a lost
// activity's result would. Verifications started before this change carry no marker and keep
// mailing as activities. Retries wait on a timer: local-activity-retries.ts says why.
const LOCAL_MAIL_PATCH = "verification-mail-local-activity";
const localMail = proxyLocalActivities<Mail>(MAIL_LOCAL_ACTIVITY_OPTIONS);
const activityMail = proxyActivities<Mail>(MAIL_ACTIVITY_OPTIONS);

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
  const mail = patched(LOCAL_MAIL_PATCH) ? localMail : activityMail;
  setHandler(emailVerified, () => void (verified = true));
  setHandler(resendVerification, () => void resendsAsked++);

  const deadline = Date.now() + input.ttlMs;
  const reminderAt = deadline - input.ttlMs / 2;
  let reminded = false;
  let resendsDone = 0;

  if (!(await sendCode(mail, input.userId, false))) return "verified";
  while (!verified) {
    const wakeAt = reminded ? deadline : reminderAt;
    await condition(() => verified || resendsAsked > resendsDone, Math.max(1, wakeAt - Date.now()));
    if (verified) break;
    if (resendsAsked > resendsDone) {
      resendsDone = resendsAsked;
      if (!(await sendCode(mail, input.userId, false))) return "verified";
    } else if (!reminded) {
      reminded = true;
      if (!(await sendCode(mail, input.userId, true))) return "verified";
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
async function sendCode(mail: Mail, userId: string, reminder: boolean): Promise<boolean> {
  try {
    return (await mail.sendVerificationCode({ userId, reminder })).sent;
  } catch (err) {
    log.warn("the verification mail could not be sent", { reminder, error: String(err) });
    return true;
  }
}
