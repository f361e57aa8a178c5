import { DomainError, UnauthenticatedError } from "@flowshield/common/contract/errors";
import { ValidationError } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { canSignIn } from "../../kernel/domain/user";
import { limited } from "../../limits/app/refusals";
import { isPasskeyFactor, passkeyMethods, type PasskeyFactor } from "../../passkeys/domain/passkey";
import { signedIn, startSession, type TokenPair } from "../../sessions/app/sessions";
import type { Session } from "../../sessions/domain/session";
import { CHALLENGE_TTL_MS, isChallengeId, type MfaChallenge } from "../domain/challenge";
import { isFactorFresh, isTotpFactor, withMethod, withMethods, type AuthMethod, type Factor, type SecondStepKind } from "../domain/factor";
import { normaliseRecoveryCode } from "../domain/recovery-codes";
import { acceptedTotpStep, isTotpCode } from "../domain/totp";

// The second step of a sign-in: a challenge made when the password matched (or for a
// passwordless sign-in, or a step-up of a live session), answered once with a factor.

type StepDeps = Pick<
  AuthDeps,
  | "users"
  | "factors"
  | "passkeys"
  | "webauthn"
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
  | "risk"
>;

// What a caller is handed instead of tokens: the challenge's id (secret), its end, what may
// answer it, and — when a passkey may — the options for navigator.credentials.get().
export interface ChallengeTicket {
  id: string;
  expireTime: Date;
  kinds: SecondStepKind[];
  webauthnOptionsJson?: string;
}

export type SecondStepAnswer =
  { kind: "totp"; code: string } | { kind: "recovery_code"; code: string } | { kind: "passkey"; assertionJson: string };

// A step-up answers an access token for the session it proved a factor for; its refresh token
// stays as it is.
export type CompletedSignIn = TokenPair | { accessToken: string; expiresIn: number };

// A challenge, stored by the hash of its id, with passkey options for the given passkeys (none:
// any discoverable passkey) when a passkey may answer it.
export async function issueChallenge(
  deps: Pick<AuthDeps, "challenges" | "secrets" | "clock" | "webauthn">,
  challenge: Omit<MfaChallenge, "expireTime" | "webauthnChallenge">,
  passkeys: PasskeyFactor[] = [],
): Promise<ChallengeTicket> {
  const id = deps.secrets.newRefreshToken();
  const expireTime = new Date(deps.clock().getTime() + CHALLENGE_TTL_MS);
  const webauthn = challenge.kinds.includes("passkey") ? await deps.webauthn.authenticationOptions(passkeys) : undefined;
  await deps.challenges.create(deps.secrets.hashToken(id), {
    ...challenge,
    expireTime,
    ...(webauthn !== undefined ? { webauthnChallenge: webauthn.challenge } : {}),
  });
  return { id, expireTime, kinds: challenge.kinds, ...(webauthn !== undefined ? { webauthnOptionsJson: webauthn.optionsJson } : {}) };
}

// The challenge of a user's second step — their factors' kinds, and recovery codes while any is
// left and they may answer it — or undefined when the user has no factor.
export async function secondStepFor(
  deps: Pick<AuthDeps, "factors" | "challenges" | "secrets" | "clock" | "webauthn">,
  base: { purpose: "sign_in" | "step_up"; userId: string; sessionId?: string; amr: AuthMethod[] },
): Promise<ChallengeTicket | undefined> {
  const [factors, recoveryCodesLeft] = await Promise.all([
    deps.factors.listConfirmed(base.userId),
    deps.factors.recoveryCodesLeft(base.userId),
  ]);
  const kinds: SecondStepKind[] = [...new Set(factors.map((f) => f.type))];
  if (kinds.length === 0) return undefined;
  // A step-up is not answered with a recovery code: using one ends every session, the asking one too.
  if (base.purpose === "sign_in" && recoveryCodesLeft > 0) kinds.push("recovery_code");
  return issueChallenge(deps, { ...base, kinds }, factors.filter(isPasskeyFactor));
}

function checkAnswer(answer: SecondStepAnswer | undefined): SecondStepAnswer {
  if (answer === undefined) throw new ValidationError("factor", "give one of totp_code, recovery_code or webauthn_assertion_json");
  if (answer.kind === "totp" && !isTotpCode(answer.code)) throw new ValidationError("totp_code", "must be the 6 digits your app shows");
  if (answer.kind === "recovery_code" && normaliseRecoveryCode(answer.code) === undefined)
    throw new ValidationError("recovery_code", "is not a recovery code");
  return answer;
}

// What an answer proves once spent (the sign-in's methods so far, and this one), or undefined for
// a wrong, replayed or foreign one.
async function provedBy(
  deps: StepDeps,
  challenge: MfaChallenge & { userId: string },
  answer: SecondStepAnswer,
  passkey: PasskeyFactor | undefined,
  now: Date,
  caller: Caller,
): Promise<AuthMethod[] | undefined> {
  if (!challenge.kinds.includes(answer.kind)) return undefined;
  if (answer.kind === "passkey") {
    if (passkey === undefined || challenge.webauthnChallenge === undefined) return undefined;
    // Passwordless: the passkey alone signs in, so it must have verified its user (PIN, biometric).
    const passwordless = challenge.amr.length === 0;
    const verified = await deps.webauthn.verifyAuthentication(answer.assertionJson, challenge.webauthnChallenge, passkey, passwordless);
    if (verified === undefined || !(await deps.passkeys.spend(passkey.id, verified.counter, verified.backedUp, now))) return undefined;
    return withMethods(challenge.amr, passkeyMethods(verified.backedUp, verified.userVerified));
  }
  if (answer.kind === "totp") {
    for (const factor of (await deps.factors.listConfirmed(challenge.userId)).filter(isTotpFactor)) {
      const step = acceptedTotpStep(deps.factorSecrets.open(factor.sealedSecret, factor.id), answer.code, now, factor.lastStep);
      // The compare-and-set on the factor's last step: of two callers with one code, one wins.
      if (step !== undefined && (await deps.factors.spendTotpStep(factor.id, step, now))) return withMethod(challenge.amr, "otp");
    }
    return undefined;
  }
  const codeHash = deps.secrets.hashRecoveryCode(challenge.userId, normaliseRecoveryCode(answer.code)!);
  // A recovery code says a factor was lost, maybe to someone else: every other session ends.
  const spent = await deps.factors.spendRecoveryCode(challenge.userId, codeHash, now, caller, [
    { type: "recovery_code_used", userId: challenge.userId },
  ]);
  return spent ? withMethod(challenge.amr, "otp") : undefined;
}

// The passkey an assertion names, when it may answer this challenge: one of the challenge's user's
// (any user's, for a passwordless sign-in).
async function passkeyNamed(deps: StepDeps, challenge: MfaChallenge, answer: SecondStepAnswer): Promise<PasskeyFactor | undefined> {
  if (answer.kind !== "passkey") return undefined;
  const credentialId = deps.webauthn.credentialIdOf(answer.assertionJson);
  const passkey = credentialId === undefined ? undefined : await deps.passkeys.findByCredentialId(credentialId);
  return passkey !== undefined && (challenge.userId === undefined || passkey.userId === challenge.userId) ? passkey : undefined;
}

const invalidFactor = () => new UnauthenticatedError("INVALID_FACTOR", "that code or passkey is wrong or was used already");

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
  const challenge = await deps.challenges.claim(idHash, ["sign_in", "step_up"], now);
  if (challenge === undefined)
    throw new DomainError("failedPrecondition", "CHALLENGE_EXPIRED", "this sign-in has expired or is finished; sign in again");
  let amr: AuthMethod[] | undefined;
  let userId: string | undefined;
  try {
    const passkey = await passkeyNamed(deps, challenge, answer);
    userId = challenge.userId ?? passkey?.userId;
    if (userId !== undefined) {
      // A code can be guessed: the account's limit counts every one. A passkey answers with a
      // signature, which cannot be: it takes nothing from the account, so a stranger naming
      // someone's credential in garbage (its id is no secret) cannot lock its owner out.
      const guess = answer.kind === "passkey" ? undefined : await limited(deps, caller, () => deps.limits.reserveFactorGuess(userId!));
      amr = await provedBy(deps, { ...challenge, userId }, answer, passkey, now, caller);
      if (amr !== undefined) await guess?.succeeded();
    }
  } finally {
    if (amr === undefined) await deps.challenges.release(idHash);
  }
  if (amr === undefined || userId === undefined) {
    // Recorded against the challenge's account; a passwordless answer names whichever credential it
    // likes, and proves no account.
    const account = challenge.userId;
    await deps.audit.record(caller, [
      { type: "mfa_failed", ...(account !== undefined ? { userId: account } : {}), detail: { factor: answer.kind } },
    ]);
    throw invalidFactor();
  }
  // A passwordless sign-in checked no password: the account's status is checked here.
  if (challenge.userId === undefined) {
    const user = await deps.users.findById(userId);
    if (user === undefined || !canSignIn(user)) throw invalidFactor();
  }
  if (answer.kind === "recovery_code") deps.background(() => deps.lifecycle.securityNotice(userId, "recovery_code_used"));
  // A sign-in done: the risk engine learns it into the account's normal.
  if (challenge.purpose === "sign_in") deps.background(() => deps.risk.signedIn(userId, caller));
  return { userId, ...(challenge.sessionId !== undefined ? { sessionId: challenge.sessionId } : {}), amr };
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
// when the account has one at all (`factors`, its confirmed ones, for a caller that read them).
export function checkFreshFactor(factors: Factor[], session: Session, now: Date): void {
  if (factors.length === 0 || isFactorFresh(session.factorTime, now)) return;
  throw new DomainError("failedPrecondition", "STEP_UP_REQUIRED", "prove your second factor again first (StartStepUp, then CompleteLogin)");
}

// The same, reading the account's factors only when the session's factor is not fresh.
export async function requireFreshFactor(deps: Pick<AuthDeps, "factors" | "clock">, userId: string, session: Session): Promise<void> {
  const now = deps.clock();
  if (!isFactorFresh(session.factorTime, now)) checkFreshFactor(await deps.factors.listConfirmed(userId), session, now);
}

// StartStepUp: a challenge for the caller's own session.
export async function startStepUp(deps: StepDeps, accessToken: string): Promise<ChallengeTicket> {
  const who = await signedIn(deps, accessToken);
  const ticket = await secondStepFor(deps, { purpose: "step_up", userId: who.userId, sessionId: who.sessionId, amr: who.session.amr });
  if (ticket === undefined) throw new DomainError("failedPrecondition", "NO_FACTOR", "the account has no second factor to prove");
  return ticket;
}
