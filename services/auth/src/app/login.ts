import { DomainError, UnauthenticatedError } from "@flowshield/common/errors";
import { normaliseEmail } from "@flowshield/common/validation";
import type { Caller } from "../domain/audit";
import { checkPasswordLength } from "../domain/password-policy";
import { canSignIn, type User } from "../domain/user";
import type { AuthDeps } from "./dependencies";
import { startSession, type TokenPair } from "./sessions";

export type LoginDeps = Pick<AuthDeps, "users" | "hasher" | "tokens" | "limits" | "audit" | "sessions" | "secrets" | "settings">;

export interface LoginRequest {
  email: string;
  password: string;
}

// The rate limits are checked before any bcrypt work, so a locked-out guesser costs one query.
// One answer for an unknown email, a wrong password and an account that may not sign in, so
// Login does not reveal who has an account; the same bcrypt work is done in every case. Only a
// matching password learns that the email still needs verifying.
export async function login(deps: LoginDeps, req: LoginRequest, caller: Caller): Promise<TokenPair> {
  const user = await authenticate(deps, req, caller);
  return startSession(deps, user.id, caller);
}

// Who the email and password belong to, under every rule of Login (rate limits, lockout, the
// account's status, a verified email) and with its audit events, without opening a session: the
// OpenID provider's login page (whose sessions are the provider's) and Login share it.
export async function authenticate(
  deps: Omit<LoginDeps, "tokens" | "sessions" | "secrets">,
  req: LoginRequest,
  caller: Caller,
): Promise<User> {
  const email = normaliseEmail(req.email);
  checkPasswordLength(req.password);
  await deps.limits.checkLogin(email, caller.ip);
  const user = await deps.users.findByEmail(email);
  const matched = await deps.hasher.verify(req.password, user?.passwordHash);
  if (user === undefined || !matched || !canSignIn(user)) {
    const { lockedOut } = await deps.limits.loginFailed(email, caller.ip);
    const userId = user?.id;
    await deps.audit.record(caller, [
      {
        type: "login_failed",
        ...(userId !== undefined ? { userId } : {}),
        detail: { reason: user === undefined ? "unknown_email" : matched ? "status" : "wrong_password" },
      },
      ...(lockedOut ? [{ type: "locked_out" as const, ...(userId !== undefined ? { userId } : {}) }] : []),
    ]);
    throw new UnauthenticatedError("WRONG_CREDENTIALS", "wrong email or password");
  }
  await deps.limits.loginSucceeded(email, caller.ip);
  if (deps.settings.requireVerifiedEmail && !user.emailVerified) {
    throw new DomainError(
      "failedPrecondition",
      "EMAIL_NOT_VERIFIED",
      "verify your email first: use the code we mailed you (or ask for a new one)",
    );
  }
  return user;
}
