import { randomUUID } from "node:crypto";
import { DomainError, NotFoundError } from "@flowshield/common/contract/errors";
import { checkUuid, ValidationError } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { signedIn } from "../../sessions/app/sessions";
import { DEFAULT_TOTP_NAME, publicFactor, withMethod, type Factor } from "../domain/factor";
import { newRecoveryCodes } from "./recovery-codes";
import { acceptedTotpStep, isTotpCode, newTotpSecret, otpauthUri, TOTP_ENROLLMENT_TTL_MS } from "../domain/totp";
import { checkFreshFactor, requireFreshFactor } from "./second-step";

// A signed-in user's own factors. Every change is audited, mailed as a notice (a workflow), and
// ends the user's other sessions and apps' grants: a session opened before the change was opened
// under the old rules — by the owner, or by whoever the change is meant to keep out.

type FactorDeps = Pick<
  AuthDeps,
  "users" | "factors" | "factorSecrets" | "secrets" | "sessions" | "tokens" | "settings" | "clock" | "lifecycle" | "background"
>;

// A new TOTP secret for the caller, not counted until ConfirmTotpEnrollment. One TOTP factor per
// account: an authenticator app holds the secret on every device the user syncs it to.
export async function startTotpEnrollment(
  deps: FactorDeps,
  accessToken: string,
): Promise<{ enrollmentId: string; secret: string; otpauthUri: string }> {
  const who = await signedIn(deps, accessToken);
  const factors = await deps.factors.listConfirmed(who.userId);
  checkFreshFactor(factors, who.session, deps.clock());
  if (factors.some((f) => f.type === "totp"))
    throw new DomainError("alreadyExists", "TOTP_ALREADY_ENROLLED", "an authenticator app is enrolled already; remove it first");
  const user = await deps.users.findById(who.userId);
  if (user === undefined) throw new NotFoundError("user");
  const now = deps.clock();
  const id = randomUUID();
  const secret = newTotpSecret();
  await deps.factors.startTotp(
    { id, userId: user.id, type: "totp", name: DEFAULT_TOTP_NAME, createTime: now, sealedSecret: deps.factorSecrets.seal(secret, id) },
    new Date(now.getTime() - TOTP_ENROLLMENT_TTL_MS),
  );
  return { enrollmentId: id, secret, otpauthUri: otpauthUri(secret, user.email) };
}

// The app's first code makes the factor count; it proves the factor too, so the session that
// confirmed it is fresh. Recovery codes come with the account's first factor.
export async function confirmTotpEnrollment(
  deps: FactorDeps,
  accessToken: string,
  req: { enrollmentId: string; code: string },
  caller: Caller,
): Promise<{ factor: Factor; recoveryCodes: string[] }> {
  const who = await signedIn(deps, accessToken);
  const id = checkUuid(req.enrollmentId, "enrollment_id");
  if (!isTotpCode(req.code)) throw new ValidationError("code", "must be the 6 digits your app shows");
  const now = deps.clock();
  const pending = await deps.factors.findUnconfirmedTotp(who.userId, id, new Date(now.getTime() - TOTP_ENROLLMENT_TTL_MS));
  if (pending === undefined) throw new NotFoundError("enrollment");
  const step = acceptedTotpStep(deps.factorSecrets.open(pending.sealedSecret, id), req.code, now, undefined);
  if (step === undefined) throw new ValidationError("code", "is not the code your app shows now");
  const recovery = newRecoveryCodes(deps, who.userId);
  const { confirmed, recoveryCodesStored } = await deps.factors.confirmTotp(
    { userId: who.userId, id, step },
    recovery.hashes,
    who.sessionId,
    caller,
    [{ type: "mfa_enrolled", userId: who.userId, detail: { factor_id: id, factor: "totp", kept_session_id: who.sessionId } }],
  );
  if (!confirmed) throw new NotFoundError("enrollment");
  await deps.sessions.markFactor(who.sessionId, withMethod(who.session.amr, "otp"), now);
  deps.background(() => deps.lifecycle.securityNotice(who.userId, "mfa_enrolled"));
  return { factor: publicFactor(pending), recoveryCodes: recoveryCodesStored ? recovery.codes : [] };
}

export async function listFactors(
  deps: Pick<AuthDeps, "factors" | "sessions" | "tokens" | "settings">,
  accessToken: string,
): Promise<{ factors: Factor[]; recoveryCodesLeft: number }> {
  const who = await signedIn(deps, accessToken);
  const [factors, recoveryCodesLeft] = await Promise.all([
    deps.factors.listConfirmed(who.userId),
    deps.factors.recoveryCodesLeft(who.userId),
  ]);
  return {
    factors: factors.map(publicFactor),
    recoveryCodesLeft,
  };
}

export async function removeFactor(deps: FactorDeps, accessToken: string, req: { factorId: string }, caller: Caller): Promise<void> {
  const who = await signedIn(deps, accessToken);
  const factorId = checkUuid(req.factorId, "factor_id");
  await requireFreshFactor(deps, who.userId, who.session);
  const removed = await deps.factors.remove(who.userId, factorId, who.sessionId, caller, [
    { type: "mfa_removed", userId: who.userId, detail: { factor_id: factorId, kept_session_id: who.sessionId } },
  ]);
  if (!removed) throw new NotFoundError("factor");
  deps.background(() => deps.lifecycle.securityNotice(who.userId, "mfa_removed"));
}

export async function regenerateRecoveryCodes(deps: FactorDeps, accessToken: string, caller: Caller): Promise<{ recoveryCodes: string[] }> {
  const who = await signedIn(deps, accessToken);
  await requireFreshFactor(deps, who.userId, who.session);
  const recovery = newRecoveryCodes(deps, who.userId);
  const replaced = await deps.factors.replaceRecoveryCodes(who.userId, recovery.hashes, who.sessionId, caller, [
    { type: "recovery_codes_regenerated", userId: who.userId, detail: { kept_session_id: who.sessionId } },
  ]);
  if (!replaced) throw new DomainError("failedPrecondition", "NO_FACTOR", "enrol a second factor first: recovery codes stand in for one");
  deps.background(() => deps.lifecycle.securityNotice(who.userId, "recovery_codes_regenerated"));
  return { recoveryCodes: recovery.codes };
}

// An operator's reset of a user who lost every factor (proto: UserAdminService.ResetFactors).
export async function resetFactors(
  deps: Pick<AuthDeps, "users" | "factors" | "lifecycle" | "background">,
  req: { userId: string },
  caller: Caller,
): Promise<{ removed: number }> {
  const userId = checkUuid(req.userId, "user_id");
  if ((await deps.users.findById(userId)) === undefined) throw new NotFoundError("user");
  const removed = await deps.factors.removeAll(userId, caller, [{ type: "mfa_reset", userId }]);
  if (removed > 0) deps.background(() => deps.lifecycle.securityNotice(userId, "mfa_reset"));
  return { removed };
}
