import { UnauthenticatedError } from "@flowshield/common/contract/errors";
import type { Caller } from "../../audit/domain/audit";
import { checkNewPassword, checkPasswordLength } from "../domain/password-policy";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { checkEmailCode, codeRefusal, requestCodeByEmail } from "../../email-codes/app/email-codes";
import { checkPassword } from "../../sessions/app/login";
import { signedIn } from "../../sessions/app/sessions";
import { requireFreshFactor } from "../../mfa/app/second-step";

// Always OK (after the caller's own quota; see requestCodeByEmail), so it does not reveal who has
// an account; after the answer, the password reset workflow of an account that may sign in is
// asked for a code, and the request audited.
export async function requestPasswordReset(
  deps: Pick<AuthDeps, "users" | "limits" | "lifecycle" | "audit" | "background">,
  req: { email: string },
  caller: Caller,
): Promise<void> {
  await requestCodeByEmail(
    deps,
    { action: "passwordReset", purpose: "reset_password", email: req.email },
    caller,
    () => true,
    async (user) => {
      await deps.audit.record(caller, [{ type: "password_reset_requested", userId: user.id }]);
      await deps.lifecycle.requestPasswordReset(user.id);
    },
  );
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
  deps: Pick<
    AuthDeps,
    "users" | "hasher" | "bcrypt" | "tokens" | "sessions" | "settings" | "limits" | "lifecycle" | "audit" | "factors" | "clock"
  >,
  accessToken: string,
  req: { currentPassword: string; newPassword: string },
  caller: Caller,
): Promise<void> {
  const who = await signedIn(deps, accessToken);
  await requireFreshFactor(deps, who.userId, who.session);
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
