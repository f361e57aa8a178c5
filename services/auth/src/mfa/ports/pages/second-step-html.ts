import type { ChallengeTicket, SecondStepAnswer } from "../../app/second-step";
import { errorBox, escapeHtml, form, page, type FormPage } from "../../../kernel/ports/pages/html";

// The second step of a sign-in on a hosted page (the provider's login, the account console):
// one field that takes the app's six digits or a recovery code. No script. The challenge's id
// travels in the form, as the CSRF token does: only this browser was shown it.

export function secondStepPage(p: FormPage & { challenge: Pick<ChallengeTicket, "id" | "kinds">; action: string; intro: string }): string {
  const recovery = p.challenge.kinds.includes("recovery_code") ? " or one of your recovery codes" : "";
  return page(
    "Two-step sign-in",
    `<p>${escapeHtml(p.intro)}</p>
${errorBox(p.error)}
${form(
  p,
  p.action,
  `<input type="hidden" name="challenge" value="${escapeHtml(p.challenge.id)}">
<label for="code">${escapeHtml(`The 6-digit code from your authenticator app${recovery}`)}</label>
<input id="code" name="code" type="text" inputmode="${recovery === "" ? "numeric" : "text"}" autocomplete="one-time-code" required autofocus>`,
  "Continue",
)}`,
  );
}

// What the form's one field holds: six digits are the app's code, anything else a recovery code.
export function answerFromForm(form: URLSearchParams): { challengeId: string; answer: SecondStepAnswer } {
  const code = (form.get("code") ?? "").trim();
  return {
    challengeId: form.get("challenge") ?? "",
    answer: /^\d{6}$/.test(code) ? { kind: "totp", code } : { kind: "recovery_code", code },
  };
}
