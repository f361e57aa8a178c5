import { UnauthenticatedError } from "@flowshield/common/contract/errors";
import { normaliseEmail } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import { checkNewPassword, checkPasswordLength } from "../domain/password-policy";
import { canSignIn } from "../../kernel/domain/user";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { checkEmailCode, codeRefusal, quotaKey } from "../../email-verification/app/email-verification";
import { checkPassword } from "../../sessions/app/login";
import { limited } from "../../limits/app/refusals";
import { signedIn } from "../../sessions/app/sessions";

// Always OK (after the caller's own quota), so it does not reveal who has an account, and the
// answer does not wait for what differs: for an account that may sign in, the password reset
// workflow is asked for a code after it (at most 3 an hour asked for from addresses the account
// does not know: a stranger can neither flood the inbox nor push the owner's code out).
export async function requestPasswordReset(
  deps: Pick<AuthDeps, "users" | "limits" | "lifecycle" | "audit" | "background">,
  req: { email: string },
  caller: Caller,
): Promise<void> {
  const email = normaliseEmail(req.email);
  await limited(deps, caller, () => deps.limits.consume("passwordReset", quotaKey(email, caller)));
  deps.background(async () => {
    const user = await deps.users.findByEmail(email);
    if (user === undefined || !canSignIn(user)) return;
    const known = await deps.limits.isKnownAddress(email, caller.ip);
    if (!(await deps.limits.mayMailCode("reset_password", email, known))) return;
    await deps.audit.record(caller, [{ type: "password_reset_requested", userId: user.id }]);
    await deps.lifecycle.requestPasswordReset(user.id);
  });
}

// The new password is checked first (no bcrypt round for a password that would be refused), then
// the code (a wrong guess counted), then hashed; the code is consumed, the hash written, every
// session ended and the event audited in one transaction. The workflow then mails the notice.
export async function resetPassword(
  deps: Pick<AuthDeps, "users" | "codes" | "secrets" | "hasher" | "bcrypt" | "limits" | "lifecycle" | "audit">,
  req: { email: string; code: string; newPassword: string },
  caller: Caller,
): Promise<void> {
  const newPassword = checkNewPassword(req.newPassword, "new_password");
  const { userId, codeHash } = await checkEmailCode(deps, "reset_password", req, caller);
  const passwordHash = await deps.bcrypt.run(userId, () => deps.hasher.hash(newPassword));
  const consumed = await deps.codes.consume(userId, "reset_password", codeHash, new Date(), { passwordHash }, caller, [
    { type: "password_reset", userId },
  ]);
  if (!consumed) throw codeRefusal();
  await deps.lifecycle.passwordReset(userId);
}

// Signed in, with the current password (counted against the login limits, like a Login): the
// other sessions end; the calling one goes on.
export async function changePassword(
  deps: Pick<AuthDeps, "users" | "hasher" | "bcrypt" | "tokens" | "sessions" | "settings" | "limits" | "lifecycle" | "audit">,
  accessToken: string,
  req: { currentPassword: string; newPassword: string },
  caller: Caller,
): Promise<void> {
  const who = await signedIn(deps, accessToken);
  checkPasswordLength(req.currentPassword, "current_password");
  const newPassword = checkNewPassword(req.newPassword, "new_password");
  const user = await deps.users.findById(who.userId);
  if (user === undefined) throw new UnauthenticatedError("SESSION_ENDED", "the session has ended; sign in again");
  const { matched, attempt } = await checkPassword(deps, user.email, req.currentPassword, caller);
  if (!matched) {
    await attempt.failed();
    throw new UnauthenticatedError("WRONG_CREDENTIALS", "the current password is wrong");
  }
  await attempt.succeeded();
  const passwordHash = await deps.bcrypt.run(user.email, () => deps.hasher.hash(newPassword));
  await deps.users.changePassword(user.id, passwordHash, who.sessionId, caller, [
    { type: "password_changed", userId: user.id, detail: { kept_session_id: who.sessionId } },
  ]);
  await deps.lifecycle.passwordChanged(user.id);
}
