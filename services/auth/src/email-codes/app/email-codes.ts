import { limitKeyOfAddress } from "@flowshield/common/runtime/client-address";
import { normaliseEmail, ValidationError } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { canSignIn, type User } from "../../kernel/domain/user";
import { limited } from "../../limits/app/refusals";
import { normaliseCode, type EmailCodePurpose } from "../domain/email-code";

// What email verification and password reset share of their codes: asking for one by email, and
// checking one typed back.

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

// A code asked for by email (ResendVerificationEmail, RequestPasswordReset). Always OK after the
// caller's own quota (the email at the caller's address, an IPv6 client by its /64): whether the
// email has an account is not revealed, and the answer does not wait for the work that differs.
// After it, for an account that may sign in and `wants` the code, and while the account's mail
// quota allows (at most 3 an hour asked for from addresses it does not know: a stranger can
// neither flood the inbox nor push the owner's code out of the kept ones), `send` asks the
// workflow for it.
export async function requestCodeByEmail(
  deps: Pick<AuthDeps, "users" | "limits" | "background" | "audit">,
  request: { action: "resendVerification" | "passwordReset"; purpose: EmailCodePurpose; email: string },
  caller: Caller,
  wants: (user: User) => boolean,
  send: (user: User) => Promise<void>,
): Promise<void> {
  const email = normaliseEmail(request.email);
  await limited(deps, caller, () => deps.limits.consume(request.action, `${email}\n${limitKeyOfAddress(caller.ip)}`));
  deps.background(async () => {
    const user = await deps.users.findByEmail(email);
    if (user === undefined || !canSignIn(user) || !wants(user)) return;
    const known = await deps.limits.isKnownAddress(email, caller.ip);
    if (await deps.limits.mayMailCode(request.purpose, email, known)) await send(user);
  });
}
