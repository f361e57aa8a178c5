// What the password workflows' starter (the auth service) and the worker agree on. Types and
// constants only: the workflow bundle imports this.

export const PASSWORD_RESET_WORKFLOW = "passwordResetWorkflow";
export const PASSWORD_CHANGED_NOTICE_WORKFLOW = "passwordChangedNoticeWorkflow";
// RequestPasswordReset while a reset runs: mail a fresh code (the old one stops working).
export const RESET_REQUESTED_SIGNAL = "resetRequested";
// ResetPassword sends this once the new password is set (and the sessions ended, in the same
// transaction): the workflow mails the notice and ends.
export const PASSWORD_RESET_SIGNAL = "passwordReset";

export function passwordResetWorkflowId(userId: string): string {
  return `password-reset-${userId}`;
}

export function passwordChangedNoticeWorkflowId(userId: string, requestId: string): string {
  return `password-changed-${userId}-${requestId}`;
}

export interface PasswordWorkflowInput {
  userId: string;
}

export type PasswordResetOutcome = "reset" | "expired";

// A reset code's life: the workflow waits this long after the last code it mailed, and the auth
// service stores each code with this expiry. One number for both processes.
export const RESET_CODE_TTL_MS = 15 * 60 * 1000;

// No code and no hash enters the history: the activity that makes a code also mails it, and the
// new password's hash is written by ResetPassword itself.
export interface PasswordResetActivities {
  sendPasswordResetCode(input: PasswordWorkflowInput): Promise<void>;
  sendPasswordChangedNotice(input: PasswordWorkflowInput): Promise<void>;
}
