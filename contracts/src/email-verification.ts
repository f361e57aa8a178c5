import type { AccountRemovalActivities } from "./account-removal";

// What the email verification workflow's starters (the registration saga, the auth service's
// signals) and its worker agree on. Types and constants only: the workflow bundle imports this.

export const EMAIL_VERIFICATION_WORKFLOW = "emailVerificationWorkflow";
// VerifyEmail sends this once the code matched (the database already says verified).
export const EMAIL_VERIFIED_SIGNAL = "emailVerified";
// ResendVerificationEmail sends this: the workflow mails a fresh code.
export const RESEND_VERIFICATION_SIGNAL = "resendVerification";

export function emailVerificationWorkflowId(userId: string): string {
  return `email-verification-${userId}`;
}

export interface EmailVerificationInput {
  userId: string;
  // The deadline, from the start; a reminder goes out at half of it.
  ttlMs: number;
}

export type EmailVerificationOutcome = "verified" | "expired";

// No code ever enters the history: the activity that makes a code also mails it. An account never
// verified is removed with the account removal's activities.
export interface EmailVerificationActivities extends AccountRemovalActivities {
  // Makes a fresh code and mails it; false when the email is verified already (nothing sent).
  sendVerificationCode(input: { userId: string; reminder: boolean }): Promise<{ sent: boolean }>;
  // At the deadline: disables the account unless verified; false when it was verified in time.
  expireUnverifiedUser(userId: string): Promise<{ expired: boolean }>;
}
