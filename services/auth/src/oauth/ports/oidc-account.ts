import type { Caller } from "../../audit/domain/audit";
import { RESET_CODE_TTL_MS } from "../../email-codes/domain/email-code";
import type { AuthApplication } from "../../kernel/app/application";
import type { FormPage } from "../../kernel/ports/pages/html";
import { pageRefusal } from "../../kernel/ports/pages/page-refusal";
import { donePage, forgotPage, registerPage, resetPage, verifyPage } from "./pages/account-html";

// The account pages linked from the provider's login page. Each form calls the same use case as
// its RPC (Register, VerifyEmail, ResendVerificationEmail, RequestPasswordReset, ResetPassword),
// so the same rules, limits and audit apply; a refusal is shown on the page it came from.
export type AccountActions = Pick<
  AuthApplication,
  "register" | "verifyEmail" | "resendVerificationEmail" | "requestPasswordReset" | "resetPassword"
>;

export const ACCOUNT_PAGES = ["register", "verify", "forgot"] as const;
export const ACCOUNT_FORMS = ["register", "verify", "resend", "forgot", "reset"] as const;

export interface PageAnswer {
  status: number;
  html: string;
}

export function accountPage(name: (typeof ACCOUNT_PAGES)[number], p: FormPage): string {
  if (name === "register") return registerPage(p);
  if (name === "verify") return verifyPage(p);
  return forgotPage(p);
}

export async function submitAccountForm(
  actions: AccountActions,
  name: (typeof ACCOUNT_FORMS)[number],
  form: URLSearchParams,
  p: FormPage,
  caller: Caller,
  // Aborted when the browser goes away: registration stops waiting for the saga.
  signal: AbortSignal,
): Promise<PageAnswer> {
  const value = (key: string) => form.get(key) ?? "";
  const email = value("email");
  try {
    switch (name) {
      case "register":
        await actions.register(
          { email, password: value("password"), username: value("username"), displayName: value("display_name") },
          caller,
          signal,
        );
        return {
          status: 200,
          html: verifyPage({ ...p, email, notice: "Your account is made. We mailed you a code: enter it to verify your email." }),
        };
      case "verify":
        await actions.verifyEmail({ email, code: value("code") }, caller);
        return { status: 200, html: donePage(p, "Email verified", "Your email is verified. You can sign in now.") };
      case "resend":
        await actions.resendVerificationEmail({ email }, caller);
        return {
          status: 200,
          html: verifyPage({ ...p, email, notice: "If the account still needs verifying, a new code is on its way." }),
        };
      case "forgot":
        await actions.requestPasswordReset({ email }, caller);
        return {
          status: 200,
          html: resetPage({
            ...p,
            email,
            notice: `If the address has an account, a code is on its way (valid ${RESET_CODE_TTL_MS / 60_000} minutes).`,
          }),
        };
      case "reset":
        await actions.resetPassword({ email, code: value("code"), newPassword: value("new_password") }, caller);
        return {
          status: 200,
          html: donePage(p, "Password changed", "Your password is changed, and every session signed out. Sign in with the new one."),
        };
    }
  } catch (err) {
    const { status, message } = pageRefusal(err);
    const again = { ...p, email, error: message };
    const html =
      name === "register"
        ? registerPage({ ...again, username: value("username"), displayName: value("display_name") })
        : name === "reset"
          ? resetPage(again)
          : name === "forgot"
            ? forgotPage(again)
            : verifyPage(again);
    return { status, html };
  }
}
