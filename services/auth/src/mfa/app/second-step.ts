import { DomainError, UnauthenticatedError } from "@flowshield/common/contract/errors";
import { ValidationError } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { limited } from "../../limits/app/refusals";
import { signedIn, startSession, type TokenPair } from "../../sessions/app/sessions";
import type { Session } from "../../sessions/domain/session";
import { CHALLENGE_TTL_MS, isChallengeId, type MfaChallenge } from "../domain/challenge";
import { isFactorFresh, isTotpFactor, withMethod, type AuthMethod, type SecondStepKind } from "../domain/factor";
import { normaliseRecoveryCode } from "../domain/recovery-codes";
import { acceptedTotpStep, isTotpCode } from "../domain/totp";

// The second step of a sign-in: a challenge made when the password matched (or for a step-up of a
// live session), answered once with a factor.

type StepDeps = Pick<
  AuthDeps,
  | "factors"
  | "challenges"
  | "factorSecrets"
  | "secrets"
  | "limits"
  | "audit"
  | "sessions"
  | "tokens"
  | "settings"
  | "clock"
  | "lifecycle"
  | "background"
>;

// What a caller is handed instead of tokens: the challenge's id (secret), its end, and what may answer it.
export interface ChallengeTicket {
  id: string;
  expireTime: Date;
  kinds: SecondStepKind[];
}

export type SecondStepAnswer = { kind: "totp"; code: string } | { kind: "recovery_code"; code: string };

// A step-up answers an access token for the session it proved a factor for; its refresh token
// stays as it is.
export type CompletedSignIn = TokenPair | { accessToken: string; expiresIn: number };

// What a user may answer a challenge with: their factors' kinds, and recovery codes while any is left.
export async function secondStepKinds(deps: Pick<AuthDeps, "factors">, userId: string): Promise<SecondStepKind[]> {
  const kinds: SecondStepKind[] = [...new Set((await deps.factors.listConfirmed(userId)).map((f) => f.type))];
  if (kinds.length > 0 && (await deps.factors.recoveryCodesLeft(userId)) > 0) kinds.push("recovery_code");
  return kinds;
}

export async function issueChallenge(
  deps: Pick<AuthDeps, "challenges" | "secrets" | "clock">,
  challenge: Omit<MfaChallenge, "expireTime">,
): Promise<ChallengeTicket> {
  const id = deps.secrets.newRefreshToken();
  const expireTime = new Date(deps.clock().getTime() + CHALLENGE_TTL_MS);
  await deps.challenges.create(deps.secrets.hashToken(id), { ...challenge, expireTime });
  return { id, expireTime, kinds: challenge.kinds };
}

function checkAnswer(answer: SecondStepAnswer | undefined): SecondStepAnswer {
  if (answer === undefined) throw new ValidationError("factor", "give one of totp_code, recovery_code or webauthn_assertion_json");
  if (answer.kind === "totp" && !isTotpCode(answer.code)) throw new ValidationError("totp_code", "must be the 6 digits your app shows");
  if (answer.kind === "recovery_code" && normaliseRecoveryCode(answer.code) === undefined)
    throw new ValidationError("recovery_code", "is not a recovery code");
  return answer;
}

// The method an answer proves, once spent; undefined for a wrong (or replayed) one.
async function provedBy(
  deps: StepDeps,
  challenge: MfaChallenge,
  answer: SecondStepAnswer,
  now: Date,
  caller: Caller,
): Promise<AuthMethod | undefined> {
  if (!challenge.kinds.includes(answer.kind)) return undefined;
  if (answer.kind === "totp") {
    for (const factor of (await deps.factors.listConfirmed(challenge.userId)).filter(isTotpFactor)) {
      const step = acceptedTotpStep(deps.factorSecrets.open(factor.sealedSecret, factor.id), answer.code, now, factor.lastStep);
      // The compare-and-set on the factor's last step: of two callers with one code, one wins.
      if (step !== undefined && (await deps.factors.spendTotpStep(factor.id, step, now))) return "otp";
    }
    return undefined;
  }
  const codeHash = deps.secrets.hashRecoveryCode(challenge.userId, normaliseRecoveryCode(answer.code)!);
  // A recovery code says a factor was lost, maybe to someone else: every other session ends.
  const spent = await deps.factors.spendRecoveryCode(challenge.userId, codeHash, now, caller, [
    { type: "recovery_code_used", userId: challenge.userId },
  ]);
  return spent ? "otp" : undefined;
}

// A challenge answered: the challenge is claimed (no one else answers it meanwhile), the account's
// factor-guess limit taken, the answer checked and spent. A wrong answer releases the challenge
// (five end it), is audited and counted. Answers who signed in and what they proved; the
// challenge is spent. The OpenID provider's sign-in page (whose sessions are the provider's) and
// CompleteLogin share it.
export async function answerChallenge(
  deps: StepDeps,
  req: { challengeId: string; answer: SecondStepAnswer | undefined },
  caller: Caller,
): Promise<{ userId: string; sessionId?: string; amr: AuthMethod[] }> {
  if (!isChallengeId(req.challengeId)) throw new ValidationError("challenge_id", "is not a challenge id");
  const answer = checkAnswer(req.answer);
  const now = deps.clock();
  const idHash = deps.secrets.hashToken(req.challengeId);
  const challenge = await deps.challenges.claim(idHash, now);
  if (challenge === undefined)
    throw new DomainError("failedPrecondition", "CHALLENGE_EXPIRED", "this sign-in has expired or is finished; sign in again");
  const { userId } = challenge;
  let method: AuthMethod | undefined;
  try {
    const guess = await limited(deps, caller, () => deps.limits.reserveFactorGuess(userId));
    method = await provedBy(deps, challenge, answer, now, caller);
    if (method !== undefined) await guess.succeeded();
  } finally {
    if (method === undefined) await deps.challenges.release(idHash);
  }
  if (method === undefined) {
    await deps.audit.record(caller, [{ type: "mfa_failed", userId, detail: { factor: answer.kind } }]);
    throw new UnauthenticatedError("INVALID_FACTOR", "that code is wrong or was used already");
  }
  if (answer.kind === "recovery_code") deps.background(() => deps.lifecycle.securityNotice(userId, "recovery_code_used"));
  return {
    userId,
    ...(challenge.sessionId !== undefined ? { sessionId: challenge.sessionId } : {}),
    amr: withMethod(challenge.amr, method),
  };
}

// CompleteLogin: a right answer opens the session — or, for a step-up, records the fresh factor on
// the session and answers a new access token for it.
export async function completeLogin(
  deps: StepDeps,
  req: { challengeId: string; answer: SecondStepAnswer | undefined },
  caller: Caller,
): Promise<CompletedSignIn> {
  const { userId, sessionId, amr } = await answerChallenge(deps, req, caller);
  if (sessionId === undefined) return startSession(deps, userId, { amr, secondFactor: true }, caller);
  if (!(await deps.sessions.markFactor(sessionId, amr, deps.clock())))
    throw new UnauthenticatedError("SESSION_ENDED", "the session has ended; sign in again");
  await deps.audit.record(caller, [{ type: "stepped_up", userId, detail: { session_id: sessionId, amr: amr.join(" ") } }]);
  return deps.tokens.issue(userId, sessionId, amr);
}

// What a sensitive change asks of its caller: a second factor proved within STEP_UP_MAX_AGE_MS —
// when the account has one at all.
export async function requireFreshFactor(deps: Pick<AuthDeps, "factors" | "clock">, userId: string, session: Session): Promise<void> {
  if (isFactorFresh(session.factorTime, deps.clock())) return;
  if ((await deps.factors.listConfirmed(userId)).length === 0) return;
  throw new DomainError("failedPrecondition", "STEP_UP_REQUIRED", "prove your second factor again first (StartStepUp, then CompleteLogin)");
}

// StartStepUp: a challenge for the caller's own session. Not answerable with a recovery code: one
// ends every session, the asking one too.
export async function startStepUp(deps: StepDeps, accessToken: string): Promise<ChallengeTicket> {
  const who = await signedIn(deps, accessToken);
  const kinds = (await secondStepKinds(deps, who.userId)).filter((k) => k !== "recovery_code");
  if (kinds.length === 0) throw new DomainError("failedPrecondition", "NO_FACTOR", "the account has no second factor to prove");
  return issueChallenge(deps, { userId: who.userId, sessionId: who.sessionId, amr: who.session.amr, kinds });
}
