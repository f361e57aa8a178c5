import { DomainError } from "@flowshield/common/contract/errors";
import type { Caller } from "../../audit/domain/audit";
import type { AuthApplication } from "../../kernel/app/application";
import type { FormPage } from "../../kernel/ports/pages/html";
import { pageRefusal } from "../../kernel/ports/pages/page-refusal";
import { answerFromForm } from "../../mfa/ports/pages/second-step-html";
import type { TokenPair } from "../../sessions/app/sessions";
import { passkeySetupSection, recoveryCodesSection, stepUpSection, totpSetupSection } from "./security-html";

// The account console's security forms: each calls the use case the API calls, and answers what
// the console's home page shows above the rest (a setup, codes shown once, a step-up) or a notice.
export const SECURITY_ACTIONS = [
  "totp-start",
  "totp-confirm",
  "passkey-start",
  "passkey-finish",
  "remove-factor",
  "recovery-codes",
  "step-up",
] as const;
export type SecurityAction = (typeof SECURITY_ACTIONS)[number];

export interface SecurityAnswer {
  status: number;
  top?: string;
  notice?: string;
  error?: string;
}

export async function submitSecurityForm(
  app: AuthApplication,
  action: SecurityAction,
  form: URLSearchParams,
  pair: TokenPair,
  forms: FormPage,
  caller: Caller,
): Promise<SecurityAnswer> {
  try {
    switch (action) {
      case "totp-start":
        return { status: 200, top: totpSetupSection({ ...forms, ...(await app.startTotpEnrollment(pair.accessToken)) }) };
      case "totp-confirm": {
        const { recoveryCodes } = await app.confirmTotpEnrollment(
          pair.accessToken,
          { enrollmentId: form.get("enrollment_id") ?? "", code: (form.get("code") ?? "").trim() },
          caller,
        );
        return {
          status: 200,
          notice: "Your authenticator app is set up. Your other sessions were signed out.",
          top: recoveryCodesSection(recoveryCodes),
        };
      }
      case "passkey-start": {
        const { optionsJson } = await app.startPasskeyRegistration(pair.accessToken);
        return { status: 200, top: passkeySetupSection(forms, optionsJson, form.get("name") ?? "") };
      }
      case "passkey-finish": {
        const { recoveryCodes } = await app.finishPasskeyRegistration(
          pair.accessToken,
          { responseJson: form.get("webauthn") ?? "", name: form.get("name") ?? "" },
          caller,
        );
        return {
          status: 200,
          notice: "Your passkey is added. Your other sessions were signed out.",
          top: recoveryCodesSection(recoveryCodes),
        };
      }
      case "remove-factor":
        await app.removeFactor(pair.accessToken, { factorId: form.get("factor_id") ?? "" }, caller);
        return { status: 200, notice: "Removed. Your other sessions were signed out." };
      case "recovery-codes":
        return { status: 200, top: recoveryCodesSection((await app.regenerateRecoveryCodes(pair.accessToken, caller)).recoveryCodes) };
      case "step-up": {
        const { challengeId, answer } = answerFromForm(form);
        await app.completeLogin({ challengeId, answer }, caller);
        return { status: 200, notice: "Confirmed. You can change your sign-in methods for the next 10 minutes." };
      }
    }
  } catch (err) {
    // A stale session, or a wrong answer to its step-up: a (fresh) step-up to answer.
    if (err instanceof DomainError && (err.reason === "STEP_UP_REQUIRED" || (action === "step-up" && err.reason === "INVALID_FACTOR"))) {
      const { status, message } = pageRefusal(err);
      return {
        status,
        top: stepUpSection(forms, await app.startStepUp(pair.accessToken)),
        ...(err.reason === "INVALID_FACTOR" ? { error: message } : {}),
      };
    }
    const { status, message } = pageRefusal(err);
    return { status, error: message };
  }
}
