import type { Caller } from "../../audit/domain/audit";
import { checkEmailCode, codeRefusal, requestCodeByEmail } from "../../email-codes/app/email-codes";
import type { AuthDeps } from "../../kernel/app/dependencies";

// Marks the email verified (code consumed and event audited in one transaction), then tells the
// verification workflow, which ends. Were that signal lost, the workflow's deadline step reads
// the database and finds the email verified: the account stays.
export async function verifyEmail(
  deps: Pick<AuthDeps, "users" | "codes" | "secrets" | "limits" | "audit" | "lifecycle">,
  req: { email: string; code: string },
  caller: Caller,
): Promise<void> {
  const { userId, codeHash } = await checkEmailCode(deps, "verify_email", req, caller);
  const consumed = await deps.codes.consume(userId, "verify_email", codeHash, new Date(), { verifyEmail: true }, caller, [
    { type: "email_verified", userId },
  ]);
  if (!consumed) throw codeRefusal();
  await deps.lifecycle.emailVerified(userId);
}

// Always OK (after the caller's own quota; see requestCodeByEmail): whether the email has an
// account, or one still unverified, is not revealed; after the answer, the verification workflow
// of an unverified account is asked to mail a fresh code.
export async function resendVerificationEmail(
  deps: Pick<AuthDeps, "users" | "limits" | "lifecycle" | "background" | "audit">,
  req: { email: string },
  caller: Caller,
): Promise<void> {
  await requestCodeByEmail(
    deps,
    { action: "resendVerification", purpose: "verify_email", email: req.email },
    caller,
    (user) => !user.emailVerified,
    (user) => deps.lifecycle.resendVerification(user.id),
  );
}
