// What the auth service and the worker agree on for the mail that tells a user their second
// factors changed. Types and constants only: the workflow bundle imports this.

export const SECURITY_NOTICE_WORKFLOW = "securityNoticeWorkflow";

export const SECURITY_NOTICES = ["mfa_enrolled", "mfa_removed", "recovery_code_used", "recovery_codes_regenerated", "mfa_reset"] as const;
export type SecurityNotice = (typeof SECURITY_NOTICES)[number];

export function securityNoticeWorkflowId(userId: string, notice: SecurityNotice | "new_sign_in", requestId: string): string {
  return `security-notice-${notice}-${userId}-${requestId}`;
}

// A sign-in the risk engine found new for the account (README, "Adaptive sign-in and registration
// risk"): when, roughly where (a city or a country, from the address), and on what (the user
// agent's family). No address, no secret.
export interface SignInFacts {
  time: string;
  place: string;
  device: string;
}

// No secret: which change, and whose account (the worker looks the address up). A new sign-in's
// notice carries a link that ends every session; auth mails that one itself (SendEmailCode), as
// its code must not pass through the history.
export type SecurityNoticeInput =
  { userId: string; notice: SecurityNotice } | { userId: string; notice: "new_sign_in"; signIn: SignInFacts };

export interface SecurityNoticeActivities {
  sendSecurityNotice(input: { userId: string; notice: SecurityNotice }): Promise<void>;
  sendSignInNotice(input: { userId: string; signIn: SignInFacts }): Promise<void>;
}
