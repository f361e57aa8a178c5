import { DomainError, RateLimitedError } from "@flowshield/common/errors";
import type { Caller } from "../../audit/domain/audit";
import { RESET_CODE_TTL_MS } from "../../email-codes/domain/email-code";
import { donePage, forgotPage, registerPage, resetPage, verifyPage } from "./pages/account-html";
import type { FormPage } from "../../kernel/ports/pages/html";

// The account pages linked from the provider's login page. Each form calls the same use case as
// its RPC (Register, VerifyEmail, ResendVerificationEmail, RequestPasswordReset, ResetPassword),
// so the same rules, limits and audit apply; a refusal is shown on the page it came from.
export interface AccountActions {
  register(input: { email: string; password: string; username: string; displayName: string }, caller: Caller): Promise<void>;
  verifyEmail(input: { email: string; code: string }, caller: Caller): Promise<void>;
  resendVerification(email: string, caller: Caller): Promise<void>;
  requestPasswordReset(email: string, caller: Caller): Promise<void>;
  resetPassword(input: { email: string; code: string; newPassword: string }, caller: Caller): Promise<void>;
}

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

// The person-facing text of a use case's refusal on a page (login's, the account pages'), with
// its HTTP status; anything else is a fault, rethrown.
export function pageRefusal(err: unknown): { status: number; message: string } {
  if (err instanceof RateLimitedError) return { status: 429, message: `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.` };
  if (err instanceof DomainError) {
    const status = {
      invalidArgument: 400,
      alreadyExists: 409,
      unauthenticated: 401,
      failedPrecondition: 403,
      aborted: 409,
      unavailable: 503,
    }[err.kind as string];
    if (status !== undefined) return { status, message: err.message };
  }
  throw err;
}

export async function submitAccountForm(
  actions: AccountActions,
  name: (typeof ACCOUNT_FORMS)[number],
  form: URLSearchParams,
  p: FormPage,
  caller: Caller,
): Promise<PageAnswer> {
  const value = (key: string) => form.get(key) ?? "";
  const email = value("email");
  try {
    switch (name) {
      case "register":
        await actions.register(
          { email, password: value("password"), username: value("username"), displayName: value("display_name") },
          caller,
        );
        return {
          status: 200,
          html: verifyPage({ ...p, email, notice: "Your account is made. We mailed you a code: enter it to verify your email." }),
        };
      case "verify":
        await actions.verifyEmail({ email, code: value("code") }, caller);
        return { status: 200, html: donePage(p, "Email verified", "Your email is verified. You can sign in now.") };
      case "resend":
        await actions.resendVerification(email, caller);
        return {
          status: 200,
          html: verifyPage({ ...p, email, notice: "If the account still needs verifying, a new code is on its way." }),
        };
      case "forgot":
        await actions.requestPasswordReset(email, caller);
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
