import { DomainError } from "@flowshield/common/errors";
import { normaliseEmail, ValidationError } from "@flowshield/common/validation";
import type { Caller } from "../domain/audit";
import { normaliseCode, type CodeCheck, type EmailCodePurpose } from "../domain/email-code";
import type { AuthDeps } from "./dependencies";

type CodeDeps = Pick<AuthDeps, "users" | "codes" | "secrets">;

// One answer for a wrong, a used and an expired code (and an unknown email): the caller learns
// nothing it could use; a code guessed at too often is dead, and says so.
export function codeRefusal(check: Exclude<CodeCheck, "ok">): Error {
  // No retry-after: this code will never work again; a new one will.
  if (check === "exhausted")
    return new DomainError("resourceExhausted", "TOO_MANY_CODE_ATTEMPTS", "too many wrong codes: ask for a new one");
  return new ValidationError("code", "wrong, used or expired code");
}

// Finds the user and checks the code (a wrong guess counted); the user id and the code's hash
// for the consume that follows.
export async function checkEmailCode(
  deps: CodeDeps,
  purpose: EmailCodePurpose,
  req: { email: string; code: string },
): Promise<{ userId: string; codeHash: string }> {
  const email = normaliseEmail(req.email);
  const code = normaliseCode(req.code);
  if (code === "") throw new ValidationError("code", "is required");
  const user = await deps.users.findByEmail(email);
  if (user === undefined) throw codeRefusal("wrong");
  const codeHash = deps.secrets.hashCode(purpose, user.id, code);
  const check = await deps.codes.check(user.id, purpose, codeHash, new Date());
  if (check !== "ok") throw codeRefusal(check);
  return { userId: user.id, codeHash };
}

// Marks the email verified (code consumed and event audited in one transaction), then tells the
// verification workflow, which ends. Were that signal lost, the workflow's deadline step reads
// the database and finds the email verified: the account stays.
export async function verifyEmail(
  deps: CodeDeps & Pick<AuthDeps, "lifecycle">,
  req: { email: string; code: string },
  caller: Caller,
): Promise<void> {
  const { userId, codeHash } = await checkEmailCode(deps, "verify_email", req);
  const consumed = await deps.codes.consume(userId, "verify_email", codeHash, new Date(), { verifyEmail: true }, caller, [
    { type: "email_verified", userId },
  ]);
  if (!consumed) throw codeRefusal("used");
  await deps.lifecycle.emailVerified(userId);
}

// Always OK (after the rate limit): whether the email has an account, or one still unverified,
// is not revealed. The workflow mails the fresh code.
export async function resendVerificationEmail(
  deps: Pick<AuthDeps, "users" | "limits" | "lifecycle">,
  req: { email: string },
): Promise<void> {
  const email = normaliseEmail(req.email);
  await deps.limits.consume("resendVerification", email);
  const user = await deps.users.findByEmail(email);
  if (user !== undefined && user.status === "active" && !user.emailVerified) await deps.lifecycle.resendVerification(user.id);
}
