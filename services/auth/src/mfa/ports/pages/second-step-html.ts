import { DomainError } from "@flowshield/common/contract/errors";
import type { ChallengeTicket, SecondStepAnswer } from "../../app/second-step";
import type { SecondStepKind } from "../../domain/factor";
import { errorBox, escapeHtml, form, page, type FormPage } from "../../../kernel/ports/pages/html";
import { passkeyCeremony } from "../../../passkeys/ports/pages/passkey-html";

// The second step of a sign-in on a hosted page (the provider's login, the account console): a
// passkey button when a passkey may answer, and one field for the app's six digits or a recovery
// code. The challenge's id travels in the forms, as the CSRF token does: only this browser was
// shown it. What the page offered travels with it too, to show it again after a wrong answer.

export type SecondStepTicket = Pick<ChallengeTicket, "id" | "kinds" | "webauthnOptionsJson">;

function codeLabel(kinds: SecondStepKind[]): string | undefined {
  const totp = kinds.includes("totp");
  const recovery = kinds.includes("recovery_code");
  if (totp) return `The 6-digit code from your authenticator app${recovery ? " or one of your recovery codes" : ""}`;
  return recovery ? "Or one of your recovery codes" : undefined;
}

export function secondStepPage(p: FormPage & { challenge: SecondStepTicket; action: string; intro: string }): string {
  const { id, kinds, webauthnOptionsJson } = p.challenge;
  const offered = { challenge: id, kinds: kinds.join(" "), options: webauthnOptionsJson ?? "" };
  const passkey =
    webauthnOptionsJson !== undefined && kinds.includes("passkey")
      ? passkeyCeremony(p, { mode: "get", optionsJson: webauthnOptionsJson, action: p.action, fields: offered, button: "Use your passkey" })
      : "";
  const label = codeLabel(kinds);
  const hidden = Object.entries(offered)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join("\n");
  const code =
    label === undefined
      ? ""
      : form(
          p,
          p.action,
          `${hidden}
<label for="code">${escapeHtml(label)}</label>
<input id="code" name="code" type="text" inputmode="${kinds.includes("recovery_code") ? "text" : "numeric"}" autocomplete="one-time-code" required${passkey === "" ? " autofocus" : ""}>`,
          "Continue",
        );
  return page("Two-step sign-in", `<p>${escapeHtml(p.intro)}</p>\n${errorBox(p.error)}\n${passkey}\n${code}`);
}

// What a second-step form holds: the browser's passkey answer, or the one field (six digits are
// the app's code, anything else a recovery code); and what the page offered, to offer it again.
export function answerFromForm(f: URLSearchParams): { challengeId: string; answer: SecondStepAnswer; offered: SecondStepTicket } {
  const code = (f.get("code") ?? "").trim();
  const webauthn = f.get("webauthn") ?? "";
  const kinds = (f.get("kinds") ?? "").split(" ").filter((k): k is SecondStepKind => ["totp", "recovery_code", "passkey"].includes(k));
  const options = f.get("options") ?? "";
  const challengeId = f.get("challenge") ?? "";
  const answer: SecondStepAnswer =
    webauthn !== ""
      ? { kind: "passkey", assertionJson: webauthn }
      : /^\d{6}$/.test(code)
        ? { kind: "totp", code }
        : { kind: "recovery_code", code };
  return {
    challengeId,
    answer,
    offered: { id: challengeId, kinds, ...(options !== "" && isJson(options) ? { webauthnOptionsJson: options } : {}) },
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

// Whether a refused answer leaves its second step to try again: a wrong factor on a challenge
// that offered a code (a passwordless one offered only the passkey: its page starts over).
export function isRetryable(err: unknown, offered: SecondStepTicket): boolean {
  return err instanceof DomainError && err.reason === "INVALID_FACTOR" && offered.kinds.some((k) => k !== "passkey");
}
