import { limitKeyOfAddress } from "@flowshield/common/runtime/client-address";
import { normaliseEmail, ValidationError } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import { normaliseCode, type EmailCodePurpose } from "../../email-codes/domain/email-code";
import { canSignIn } from "../../kernel/domain/user";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { limited } from "../../limits/app/refusals";

type CodeDeps = Pick<AuthDeps, "users" | "codes" | "secrets" | "limits" | "audit">;

// Checked against when the email has no account: the same read as for a real user, which finds
// nothing.
const NOBODY = "00000000-0000-0000-0000-000000000000";

// One answer for a wrong, a used and an expired code and an unknown email: the caller learns
// nothing it could use.
export function codeRefusal(): Error {
  return new ValidationError("code", "wrong, used or expired code");
}

// Checks a code (a guess taken from the guesser's limits first), the same way and with the same
// answers whether or not the email has an account; the user id and the code's hash for the
// consume that follows. Guesses are limited per guesser, so a stranger's cannot kill the owner's
// code, and an address the account knows is spared the limit strangers share.
export async function checkEmailCode(
  deps: CodeDeps,
  purpose: EmailCodePurpose,
  req: { email: string; code: string },
  caller: Caller,
): Promise<{ userId: string; codeHash: string }> {
  const email = normaliseEmail(req.email);
  const code = normaliseCode(req.code);
  if (code === "") throw new ValidationError("code", "is required");
  const known = await deps.limits.isKnownAddress(email, caller.ip);
  await limited(deps, caller, () => deps.limits.reserveCodeGuess(purpose, email, caller.ip, known));
  const user = await deps.users.findByEmail(email);
  const userId = user?.id ?? NOBODY;
  const codeHash = deps.secrets.hashCode(purpose, userId, code);
  const check = await deps.codes.check(userId, purpose, codeHash, new Date());
  if (user === undefined || check !== "ok") throw codeRefusal();
  return { userId, codeHash };
}

// Marks the email verified (code consumed and event audited in one transaction), then tells the
// verification workflow, which ends. Were that signal lost, the workflow's deadline step reads
// the database and finds the email verified: the account stays.
export async function verifyEmail(
  deps: CodeDeps & Pick<AuthDeps, "lifecycle">,
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

// Always OK (after the caller's own quota): whether the email has an account, or one still
// unverified, is not revealed, and the answer does not wait for the work that differs — looking
// the account up and asking the workflow to mail a fresh code happen after it.
export async function resendVerificationEmail(
  deps: Pick<AuthDeps, "users" | "limits" | "lifecycle" | "background" | "audit">,
  req: { email: string },
  caller: Caller,
): Promise<void> {
  const email = normaliseEmail(req.email);
  await limited(deps, caller, () => deps.limits.consume("resendVerification", quotaKey(email, caller)));
  deps.background(async () => {
    const user = await deps.users.findByEmail(email);
    if (user === undefined || !canSignIn(user) || user.emailVerified) return;
    const known = await deps.limits.isKnownAddress(email, caller.ip);
    if (await deps.limits.mayMailCode("verify_email", email, known)) await deps.lifecycle.resendVerification(user.id);
  });
}

// A quota of the caller's own: the email at the caller's address (an IPv6 client by its /64).
export function quotaKey(email: string, caller: Caller): string {
  return `${email}\n${limitKeyOfAddress(caller.ip)}`;
}
