import { randomBytes } from "node:crypto";
import type { BlockList } from "node:net";
import { UnauthenticatedError } from "@flowshield/common/contract/errors";
import { cookieOf } from "@flowshield/common/runtime/http-request";
import type { HttpHandler, HttpMount } from "@flowshield/common/runtime/listener";
import type { Logger } from "@flowshield/common/observability/logger";
import { ValidationError } from "@flowshield/common/contract/validation";
import type { AuthApplication } from "../../kernel/app/application";
import type { TokenPair } from "../../sessions/app/sessions";
import { callerOfHttp, deviceCookieFor } from "../../kernel/ports/caller";
import { formTokens } from "../../kernel/ports/pages/form-tokens";
import { pageRefusal, signInRefusal } from "../../kernel/ports/pages/page-refusal";
import { CONSOLE_BASE, consoleAppsPage, consoleSignInPage, notMePage } from "./account-console-html";
import { NOT_ME_PATH } from "../../sessions/domain/not-me";
import { messagePage, pageHeaders, type FormPage } from "../../kernel/ports/pages/html";
import { readForm, respond } from "../../kernel/ports/pages/page-http";
import { answerFromForm, isRetryable, secondStepPage, type SecondStepTicket } from "../../mfa/ports/pages/second-step-html";
import { passwordlessOffer } from "../../passkeys/ports/pages/passwordless-offer";
import { SECURITY_ACTIONS, submitSecurityForm, type SecurityAnswer } from "./security-forms";
import { securitySection } from "./security-html";

// /account on the public listener: a signed-in user's own page of the apps they allowed, each of
// which they can take away (ListAppGrants/RevokeAppGrant), their second factors (security-forms.ts),
// and sign-out (here, or everywhere). A sign-in with a second factor takes a second page.
// It is a first-party client of the use cases the API calls: signing in is Login (its limits,
// lockout and audit), its session is a first-party session (so a reset, a disable or "sign out
// everywhere" ends it like any other), held as its refresh token in an HttpOnly, SameSite=Strict
// cookie and rotated on every page. Forms carry an HMAC of a random cookie (double submit).

const SESSION_COOKIE = "fs_account";
const CSRF_COOKIE = "fs_account_csrf";
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

type Request = Parameters<HttpHandler>[0];
type Response = Parameters<HttpHandler>[1];

export interface AccountConsoleOptions {
  app: AuthApplication;
  // The form tokens' key is derived from this (the signing key's).
  csrfSecret: Uint8Array;
  // Cookies are Secure when the public URL is https.
  publicUrl: string;
  trustedProxies: BlockList;
  log: Logger;
}

export function accountConsole(options: AccountConsoleOptions): HttpMount {
  const { app } = options;
  const csrf = formTokens(options.csrfSecret, "account console csrf v1");
  const secure = options.publicUrl.startsWith("https:") ? "; Secure" : "";
  const cookie = (name: string, value: string) =>
    `${name}=${value}; Path=${CONSOLE_BASE}; HttpOnly; SameSite=Strict${secure}${value === "" ? "; Max-Age=0" : ""}`;

  async function serve(req: Request, res: Response): Promise<void> {
    const caller = callerOfHttp(req, options.trustedProxies);
    const given = cookieOf(req, CSRF_COOKIE);
    const nonce = given !== undefined && TOKEN.test(given) ? given : randomBytes(32).toString("base64url");
    const setCookies = [...(nonce === given ? [] : [cookie(CSRF_COOKIE, nonce)]), ...deviceCookieFor(req, secure !== "")];
    const forms: FormPage = { base: CONSOLE_BASE, csrf: csrf.tokenFor(nonce) };
    const answer = (status: number, html: string) => respond(res, status, { ...pageHeaders(), "set-cookie": setCookies }, html);
    const backToConsole = () => respond(res, 303, { ...pageHeaders(), "set-cookie": setCookies, location: CONSOLE_BASE }, "");

    // The console's session, rotated: undefined (and the cookie cleared) once it has ended.
    async function session(): Promise<TokenPair | undefined> {
      const token = cookieOf(req, SESSION_COOKIE);
      if (token === undefined || token === "") return undefined;
      try {
        const pair = await app.refresh({ refreshToken: token }, caller);
        setCookies.push(cookie(SESSION_COOKIE, pair.refreshToken));
        return pair;
      } catch (err) {
        if (!(err instanceof UnauthenticatedError || err instanceof ValidationError)) throw err;
        setCookies.push(cookie(SESSION_COOKIE, ""));
        return undefined;
      }
    }

    // The signed-in home page, with what a form answered.
    async function home(pair: TokenPair, status: number, shown: Omit<SecurityAnswer, "status"> = {}): Promise<void> {
      const [grants, factors] = await Promise.all([app.listAppGrants(pair.accessToken), app.listFactors(pair.accessToken)]);
      return answer(status, consoleAppsPage({ ...forms, ...shown, grants, security: securitySection({ ...forms, ...factors }) }));
    }
    // The sign-in page, with its passkey offer.
    const signInPage = async (status: number, shown: { email?: string; error?: string; notice?: string } = {}) =>
      answer(status, consoleSignInPage({ ...forms, ...shown, passkey: await passwordlessOffer(app, forms, "second-step", caller) }));
    const secondStep = (status: number, challenge: SecondStepTicket, error?: string) =>
      answer(
        status,
        secondStepPage({
          ...forms,
          challenge,
          action: "second-step",
          intro: "Your account has two-step sign-in.",
          ...(error !== undefined ? { error } : {}),
        }),
      );
    const signedInWith = (pair: TokenPair) => {
      setCookies.push(cookie(SESSION_COOKIE, pair.refreshToken));
      return backToConsole();
    };

    const path = (req.url ?? "").split("?")[0] ?? "";
    if (req.method === "GET" && path === CONSOLE_BASE) {
      const pair = await session();
      if (pair === undefined) return signInPage(200);
      return home(pair, 200);
    }
    if (req.method === "GET" && path === NOT_ME_PATH) {
      const query = new URLSearchParams((req.url ?? "").split("?")[1] ?? "");
      return answer(200, notMePage({ ...forms, email: query.get("email") ?? "", code: query.get("code") ?? "" }));
    }
    const action = path.startsWith(`${CONSOLE_BASE}/`) ? path.slice(CONSOLE_BASE.length + 1) : "";
    const securityAction = SECURITY_ACTIONS.find((a) => a === action);
    if (
      req.method !== "POST" ||
      (securityAction === undefined && !["login", "second-step", "not-me", "revoke", "logout", "sign-out-everywhere"].includes(action))
    )
      return answer(404, messagePage("Not found", "There is no such page."));
    const form = await readForm(req);
    if (form === undefined) return answer(413, messagePage("Too large", "The form was larger than any of ours."));
    if (given !== nonce || !csrf.valid(nonce, form.get("csrf"))) return signInPage(403, { error: "This form has expired. Try again." });

    if (action === "login") {
      const email = form.get("email") ?? "";
      try {
        const outcome = await app.login({ email, password: form.get("password") ?? "" }, caller);
        return "tokens" in outcome ? signedInWith(outcome.tokens) : secondStep(200, outcome.challenge);
      } catch (err) {
        const { status, message } = signInRefusal(err);
        return signInPage(status, { email, error: message });
      }
    }
    if (action === "second-step") {
      const { challengeId, answer: given, offered } = answerFromForm(form);
      try {
        const signedIn = await app.completeLogin({ challengeId, answer: given }, caller);
        if ("refreshToken" in signedIn) return signedInWith(signedIn);
        // A step-up's challenge posted here: nothing to sign in with.
        return signInPage(400, { error: "Sign in again." });
      } catch (err) {
        const { status, message } = pageRefusal(err);
        // A wrong answer may be tried again on the same challenge (a passwordless one starts over).
        if (isRetryable(err, offered)) return secondStep(status, offered, message);
        return signInPage(status, { error: message });
      }
    }
    if (action === "not-me") {
      const link = { email: form.get("email") ?? "", code: form.get("code") ?? "" };
      try {
        await app.endSessionsByNotice(link, caller);
      } catch (err) {
        const { status, message } = pageRefusal(err);
        return answer(status, notMePage({ ...forms, ...link, error: message }));
      }
      setCookies.push(cookie(SESSION_COOKIE, ""));
      return answer(
        200,
        messagePage("Signed out everywhere", "Every session and app of your account is signed out. Reset your password now."),
      );
    }
    const pair = await session();
    if (pair === undefined) return signInPage(401, { notice: "You are signed out. Sign in again." });
    if (securityAction !== undefined) {
      const { status, ...shown } = await submitSecurityForm(app, securityAction, form, pair, forms, caller);
      return home(pair, status, shown);
    }
    if (action === "revoke") {
      try {
        await app.revokeAppGrant(pair.accessToken, { clientId: form.get("client_id") ?? "" }, caller);
      } catch (err) {
        const { status, message } = pageRefusal(err);
        return home(pair, status, { error: message });
      }
      return backToConsole();
    }
    if (action === "logout") await app.logout({ refreshToken: pair.refreshToken }, caller);
    else await app.signOutEverywhere(pair.accessToken, caller);
    setCookies.push(cookie(SESSION_COOKIE, ""));
    return backToConsole();
  }

  const handler: HttpHandler = (req, res) => {
    serve(req, res).catch((err: unknown) => {
      options.log.error({ err }, "account console failed");
      if (!res.headersSent) respond(res, 500, pageHeaders(), messagePage("Something went wrong", "Try again in a moment."));
    });
  };
  return { prefix: CONSOLE_BASE, handler };
}
