import type { AuditRecord, Caller } from "../../audit/domain/audit";
import type { CodeCheck, EmailCodePurpose } from "../domain/email-code";

// The mailed codes' store, as email verification and password reset use it (kernel/app/
// dependencies.ts gathers every capability's interfaces into AuthDeps); adapters/db implements it.

export interface EmailCodes {
  // Adds a code for that purpose; the user's last few stay live too (KEPT_CODES).
  issue(userId: string, purpose: EmailCodePurpose, codeHash: string, expireTime: Date): Promise<void>;
  // Whether the code is one of the user's live ones for that purpose (one read, whoever the user).
  check(userId: string, purpose: EmailCodePurpose, codeHash: string, now: Date): Promise<CodeCheck>;
  // Marks the code used — only if it still is unused, matches and is unexpired — and in the same
  // transaction runs `then` (the change the code allows) and ends the user's other codes for that
  // purpose. False when the code was no longer good.
  consume(
    userId: string,
    purpose: EmailCodePurpose,
    codeHash: string,
    now: Date,
    then: { verifyEmail: true } | { passwordHash: string } | { endSessions: true },
    caller: Caller,
    audit: AuditRecord[],
  ): Promise<boolean>;
}
