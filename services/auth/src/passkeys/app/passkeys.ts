import { randomUUID } from "node:crypto";
import { NotFoundError } from "@flowshield/common/contract/errors";
import { limitKeyOfAddress } from "@flowshield/common/runtime/client-address";
import { ValidationError } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { limited } from "../../limits/app/refusals";
import { newRecoveryCodes } from "../../mfa/app/recovery-codes";
import { checkFreshFactor, issueChallenge, type ChallengeTicket } from "../../mfa/app/second-step";
import { CHALLENGE_TTL_MS } from "../../mfa/domain/challenge";
import { publicFactor, withMethod, type Factor } from "../../mfa/domain/factor";
import { signedIn } from "../../sessions/app/sessions";
import { checkPasskeyName, isPasskeyFactor, passkeyMethod } from "../domain/passkey";

// Passkeys: registering them on a signed-in account (several, each named), and signing in with
// one alone. As a second factor they answer CompleteLogin like any other (mfa/app/second-step.ts).

type PasskeyDeps = Pick<
  AuthDeps,
  | "users"
  | "factors"
  | "passkeys"
  | "webauthn"
  | "challenges"
  | "secrets"
  | "sessions"
  | "tokens"
  | "settings"
  | "clock"
  | "lifecycle"
  | "background"
>;

// Options for navigator.credentials.create(), for the caller's account; the ceremony is a
// challenge of its own (by the hash of its WebAuthn challenge), answered once, by this session.
export async function startPasskeyRegistration(deps: PasskeyDeps, accessToken: string): Promise<{ optionsJson: string }> {
  const who = await signedIn(deps, accessToken);
  const factors = await deps.factors.listConfirmed(who.userId);
  checkFreshFactor(factors, who.session, deps.clock());
  const user = await deps.users.findById(who.userId);
  if (user === undefined) throw new NotFoundError("user");
  const existing = factors.filter(isPasskeyFactor);
  const { optionsJson, challenge } = await deps.webauthn.registrationOptions(user, existing);
  await deps.challenges.create(deps.secrets.hashToken(challenge), {
    purpose: "passkey_registration",
    userId: user.id,
    sessionId: who.sessionId,
    amr: who.session.amr,
    kinds: ["passkey"],
    webauthnChallenge: challenge,
    expireTime: new Date(deps.clock().getTime() + CHALLENGE_TTL_MS),
  });
  return { optionsJson };
}

// The browser's answer to those options: a new passkey, which counts at once (the ceremony proved
// it, with user presence). Like any factor added, it ends the other sessions, is audited and mailed.
export async function finishPasskeyRegistration(
  deps: PasskeyDeps,
  accessToken: string,
  req: { responseJson: string; name: string },
  caller: Caller,
): Promise<{ factor: Factor; recoveryCodes: string[] }> {
  const who = await signedIn(deps, accessToken);
  const name = checkPasskeyName(req.name);
  const challenge = deps.webauthn.challengeOf(req.responseJson);
  if (challenge === undefined) throw new ValidationError("response_json", "is not a passkey registration response");
  const now = deps.clock();
  const ceremony = await deps.challenges.claim(deps.secrets.hashToken(challenge), ["passkey_registration"], now);
  if (ceremony === undefined || ceremony.userId !== who.userId || ceremony.sessionId !== who.sessionId)
    throw new NotFoundError("registration");
  const made = await deps.webauthn.verifyRegistration(req.responseJson, challenge);
  if (made === undefined) throw new ValidationError("response_json", "does not verify for this site and this registration");
  if ((await deps.passkeys.findByCredentialId(made.credentialId)) !== undefined)
    throw new ValidationError("response_json", "this passkey is registered already");
  const passkey = { ...made, id: randomUUID(), userId: who.userId, type: "passkey" as const, name, createTime: now };
  const recovery = newRecoveryCodes(deps, who.userId);
  const { recoveryCodesStored } = await deps.passkeys.add(passkey, recovery.hashes, who.sessionId, caller, [
    {
      type: "passkey_registered",
      userId: who.userId,
      detail: { factor_id: passkey.id, backed_up: made.backedUp, kept_session_id: who.sessionId },
    },
  ]);
  // The ceremony proved the passkey: the session that registered it is fresh.
  await deps.sessions.markFactor(who.sessionId, withMethod(who.session.amr, passkeyMethod(made.backedUp)), now);
  deps.background(() => deps.lifecycle.securityNotice(who.userId, "mfa_enrolled"));
  return {
    factor: publicFactor(passkey),
    recoveryCodes: recoveryCodesStored ? recovery.codes : [],
  };
}

// A passwordless sign-in's challenge: options for navigator.credentials.get() that name no
// credential — every passkey registered here is discoverable, so the browser finds the user's —
// answered with CompleteLogin. An email, when given, is not used: naming its account's
// credentials would tell a stranger which emails have an account with a passkey. The challenge
// belongs to no one until an assertion names its credential.
export async function startPasskeyLogin(
  deps: Pick<AuthDeps, "challenges" | "secrets" | "clock" | "webauthn" | "limits" | "audit">,
  _req: { email: string },
  caller: Caller,
): Promise<ChallengeTicket> {
  await limited(deps, caller, () => deps.limits.consume("passkeyLogin", limitKeyOfAddress(caller.ip)));
  return issueChallenge(deps, { purpose: "sign_in", amr: [], kinds: ["passkey"] });
}
