import { limitKeyOfAddress } from "@flowshield/common/runtime/client-address";
import { DomainError, UnauthenticatedError } from "@flowshield/common/contract/errors";
import { normaliseEmail } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import { checkPasswordLength } from "../../passwords/domain/password-policy";
import { canSignIn, mustVerifyEmailFirst, type User } from "../../kernel/domain/user";
import type { AuthDeps } from "../../kernel/app/dependencies";
import type { LoginAttempt } from "../../limits/app/dependencies";
import { limited } from "../../limits/app/refusals";
import { secondStepFor, type ChallengeTicket } from "../../mfa/app/second-step";
import type { AuthMethod } from "../../mfa/domain/factor";
import { startSession, type TokenPair } from "./sessions";
import { signInNoticeOf } from "../../risk/app/sign-in-notice";
import type { SignInAssessment } from "../../risk/app/risk-engine";

export type LoginDeps = Pick<
  AuthDeps,
  | "users"
  | "hasher"
  | "bcrypt"
  | "tokens"
  | "limits"
  | "audit"
  | "sessions"
  | "secrets"
  | "settings"
  | "factors"
  | "challenges"
  | "clock"
  | "webauthn"
  | "risk"
  | "background"
  | "lifecycle"
>;

export interface LoginRequest {
  email: string;
  password: string;
}

// A sign-in's first step ends in tokens, or — for an account with a second factor — in a
// challenge for it (mfa/app/second-step.ts).
export type LoginOutcome = { tokens: TokenPair } | { challenge: ChallengeTicket };

// One answer for an unknown email, a wrong password and an account that may not sign in, so
// Login does not reveal who has an account; the same bcrypt work is done in every case. Only a
// matching password learns that the email still needs verifying, or that a factor is needed.
export async function login(deps: LoginDeps, req: LoginRequest, caller: Caller): Promise<LoginOutcome> {
  const step = await passwordStep(deps, req, caller);
  if ("challenge" in step) return step;
  return { tokens: await startSession(deps, step.userId, { amr: step.amr, secondFactor: false }, caller) };
}

// Login without its session: who signed in with a password alone, or the challenge of their
// second factor. The OpenID provider's sign-in page (whose sessions are the provider's) and
// Login share it.
//
// The risk engine's decision (risk/app/risk-engine.ts) comes before the second step: a refusal
// ends the sign-in; an account with a factor is asked it whatever the score (a step-up is that
// question); an account without one, whose sign-in scored a step-up or a notice, is signed in and
// its owner mailed a notice with a link that ends every session (there is no factor to ask).
export async function passwordStep(
  deps: Omit<LoginDeps, "tokens" | "sessions">,
  req: LoginRequest,
  caller: Caller,
): Promise<{ userId: string; amr: AuthMethod[] } | { challenge: ChallengeTicket }> {
  const { user, risk } = await authenticate(deps, req, caller);
  const challenge = await secondStepFor(deps, { purpose: "sign_in", userId: user.id, amr: ["pwd"] });
  if (challenge !== undefined) return { challenge };
  if (risk.decision !== "allow") deps.background(() => deps.lifecycle.newSignInNotice(user.id, signInNoticeOf(risk, deps.clock())));
  deps.background(() => deps.risk.signedIn(user.id, caller));
  return { userId: user.id, amr: ["pwd"] };
}

// Who the email and password belong to, under every rule of Login (rate limits, lockout, the
// account's status, a verified email) and with its audit events.
async function authenticate(
  deps: Omit<LoginDeps, "tokens" | "sessions" | "secrets">,
  req: LoginRequest,
  caller: Caller,
): Promise<{ user: User; risk: SignInAssessment }> {
  const email = normaliseEmail(req.email);
  checkPasswordLength(req.password);
  // An address the risk engine refuses outright (a run over many accounts) costs no bcrypt round.
  const screen = () => deps.risk.screenSignIn(caller);
  const { user, matched, attempt } = await checkPassword(deps, email, req.password, caller, screen);
  if (user === undefined || !matched || !canSignIn(user)) {
    const [{ lockedOut }] = await Promise.all([attempt.failed(), deps.risk.signInFailed(caller)]);
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
  await attempt.succeeded();
  if (mustVerifyEmailFirst(user, deps.settings.requireVerifiedEmail)) {
    throw new DomainError(
      "failedPrecondition",
      "EMAIL_NOT_VERIFIED",
      "verify your email first: use the code we mailed you (or ask for a new one)",
    );
  }
  return { user, risk: await deps.risk.assessSignIn(user.id, caller) };
}

// One password check of a sign-in (Login, the login page, ChangePassword's current password),
// with the attempt it took from the limits; the caller settles the attempt. A few attempts of one
// caller on one account are admitted at once, before any query (a flood from one address is turned
// away without touching the database). Each then waits its turn in the account's bcrypt lane — the
// lane of the account at this address when the account knows it, so strangers flooding the account
// elsewhere do not hold up its owner — and takes its attempt from the limits only once its turn
// has come: concurrent guesses cannot outrun the limits, a refused guess costs one query and no
// bcrypt round, and every attempt taken is checked. A sign-in's screen (the risk engine's refusal
// of an address) runs once admitted: it reads counters.
export async function checkPassword(
  deps: Pick<AuthDeps, "users" | "hasher" | "bcrypt" | "limits" | "audit">,
  email: string,
  password: string,
  caller: Caller,
  screen: () => Promise<void> = async () => undefined,
): Promise<{ user: User | undefined; matched: boolean; attempt: LoginAttempt }> {
  const from = `${email} at ${limitKeyOfAddress(caller.ip)}`;
  return deps.bcrypt.admit(from, async () => {
    await screen();
    const known = await deps.limits.isKnownAddress(email, caller.ip);
    return deps.bcrypt.run(known ? from : email, async () => {
      const attempt = await limited(deps, caller, () => deps.limits.reserveLogin(email, caller.ip, known));
      try {
        const user = await deps.users.findByEmail(email);
        return { user, matched: await deps.hasher.verify(password, user?.passwordHash), attempt };
      } catch (err) {
        // Never checked (the database failed): the attempt is given back.
        await attempt.abandoned();
        throw err;
      }
    });
  });
}
