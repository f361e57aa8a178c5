// What the auth service and the worker agree on for the mail that tells a user their second
// factors changed. Types and constants only: the workflow bundle imports this.

export const SECURITY_NOTICE_WORKFLOW = "securityNoticeWorkflow";

export const SECURITY_NOTICES = ["mfa_enrolled", "mfa_removed", "recovery_code_used", "recovery_codes_regenerated", "mfa_reset"] as const;
export type SecurityNotice = (typeof SECURITY_NOTICES)[number];

export function securityNoticeWorkflowId(userId: string, notice: SecurityNotice, requestId: string): string {
  return `security-notice-${notice}-${userId}-${requestId}`;
}

// No secret: which change, and whose account (the worker looks the address up).
export interface SecurityNoticeInput {
  userId: string;
  notice: SecurityNotice;
}

export interface SecurityNoticeActivities {
  sendSecurityNotice(input: SecurityNoticeInput): Promise<void>;
}
