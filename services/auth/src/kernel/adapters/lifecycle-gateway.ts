import { isGrpcDeadlineError, isGrpcServiceError, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from "@temporalio/client";
import { UnavailableError } from "@flowshield/common/contract/errors";
import type { Logger } from "@flowshield/common/observability/logger";
import { currentRequestContext } from "@flowshield/common/observability/request-context";
import {
  EMAIL_VERIFICATION_WORKFLOW,
  EMAIL_VERIFIED_SIGNAL,
  emailVerificationWorkflowId,
  RESEND_VERIFICATION_SIGNAL,
} from "@flowshield/contracts/email-verification";
import {
  PASSWORD_CHANGED_NOTICE_WORKFLOW,
  PASSWORD_RESET_SIGNAL,
  PASSWORD_RESET_WORKFLOW,
  passwordChangedNoticeWorkflowId,
  passwordResetWorkflowId,
  RESET_REQUESTED_SIGNAL,
} from "@flowshield/contracts/password-reset";
import { SECURITY_NOTICE_WORKFLOW, securityNoticeWorkflowId, type SecurityNoticeInput } from "@flowshield/contracts/security-notice";
import type { TemporalClient } from "@flowshield/common/temporal/client";
import type { LifecycleGateway } from "../app/dependencies";

const CALL_TIMEOUT_MS = 5_000;

// Temporal could not be reached (or did not answer in time): the caller may retry. Anything else
// is a bug of ours and stays what it is.
function unreachable(err: unknown, message: string): unknown {
  return isGrpcServiceError(err) || isGrpcDeadlineError(err) ? new UnavailableError("WORKFLOWS_UNAVAILABLE", message) : err;
}

// The lifecycle workflows, reached from the auth service's use cases. Two kinds of call:
// - one the caller waits on (a resend, a reset request): Temporal unreachable is UNAVAILABLE;
// - a notification after a change already committed (verified, reset, changed): the database
//   is the authority, so a lost signal is logged and the call still succeeds.
export function createLifecycleGateway(temporalClient: TemporalClient, taskQueue: string, log: Logger): LifecycleGateway {
  const workflow = temporalClient.client.workflow;
  const bounded = <T>(call: () => Promise<T>) =>
    temporalClient.track(() => temporalClient.client.connection.withDeadline(Date.now() + CALL_TIMEOUT_MS, call));

  async function signal(workflowId: string, name: string): Promise<"sent" | "no-workflow"> {
    try {
      await bounded(() => workflow.getHandle(workflowId).signal(name));
      return "sent";
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return "no-workflow";
      throw unreachable(err, "this is unavailable right now; retry shortly");
    }
  }

  async function notify(what: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (err) {
      log.warn({ err: { message: (err as Error).message } }, `could not tell the workflows: ${what}`);
    }
  }

  async function startNotice(userId: string): Promise<void> {
    await bounded(() =>
      workflow.start(PASSWORD_CHANGED_NOTICE_WORKFLOW, {
        taskQueue,
        workflowId: passwordChangedNoticeWorkflowId(userId, currentRequestContext()?.requestId ?? String(Date.now())),
        args: [{ userId }],
      }),
    );
  }

  const startSecurityNotice = (input: SecurityNoticeInput) =>
    bounded(() =>
      workflow.start(SECURITY_NOTICE_WORKFLOW, {
        taskQueue,
        workflowId: securityNoticeWorkflowId(input.userId, input.notice, currentRequestContext()?.requestId ?? String(Date.now())),
        args: [input],
      }),
    );

  return {
    async startEmailVerification(userId, ttlMs) {
      try {
        await bounded(() =>
          workflow.start(EMAIL_VERIFICATION_WORKFLOW, {
            taskQueue,
            workflowId: emailVerificationWorkflowId(userId),
            args: [{ userId, ttlMs }],
            // One verification per account, ever: a retried activation finds it started (or done).
            workflowIdReusePolicy: "REJECT_DUPLICATE",
          }),
        );
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return;
        throw unreachable(err, "cannot start the email verification right now; retry shortly");
      }
    },

    emailVerified: (userId) => notify("email verified", () => signal(emailVerificationWorkflowId(userId), EMAIL_VERIFIED_SIGNAL)),

    // No running verification (it ended, or was never started): nothing to resend.
    resendVerification: async (userId) => void (await signal(emailVerificationWorkflowId(userId), RESEND_VERIFICATION_SIGNAL)),

    async requestPasswordReset(userId) {
      try {
        await bounded(() =>
          workflow.signalWithStart(PASSWORD_RESET_WORKFLOW, {
            taskQueue,
            workflowId: passwordResetWorkflowId(userId),
            args: [{ userId }],
            signal: RESET_REQUESTED_SIGNAL,
            signalArgs: [],
          }),
        );
      } catch (err) {
        throw unreachable(err, "password reset is unavailable right now; retry shortly");
      }
    },

    // The reset workflow mails the notice; if it has ended already, a notice workflow of its own does.
    passwordReset: (userId) =>
      notify("password reset", async () => {
        if ((await signal(passwordResetWorkflowId(userId), PASSWORD_RESET_SIGNAL)) === "no-workflow") await startNotice(userId);
      }),

    passwordChanged: (userId) => notify("password changed", () => startNotice(userId)),

    securityNotice: (userId, notice) => notify(notice, () => startSecurityNotice({ userId, notice })),
    newSignInNotice: (userId, signIn) => notify("new_sign_in", () => startSecurityNotice({ userId, notice: "new_sign_in", signIn })),
  };
}
