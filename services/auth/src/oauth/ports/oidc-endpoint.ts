import type { BlockList } from "node:net";
import { dropUntrustedForwarding } from "@flowshield/common/runtime/client-address";
import type Provider from "oidc-provider";
import type { HttpHandler, HttpMount } from "@flowshield/common/runtime/listener";
import type { Logger } from "@flowshield/common/observability/logger";
import type { AuthApplication } from "../../kernel/app/application";
import { callerOfHttp, deviceCookieFor } from "../../kernel/ports/caller";
import type { Caller } from "../../audit/domain/audit";
import { formTokens } from "../../kernel/ports/pages/form-tokens";
import { consentPage, loginPage, messagePage, pageHeaders, STYLESHEET_PATH, type FormPage } from "../../kernel/ports/pages/html";
import { abandonedSignal, readForm, respond } from "../../kernel/ports/pages/page-http";
import { pageRefusal, signInRefusal } from "../../kernel/ports/pages/page-refusal";
import { assuranceOf, type AuthMethod } from "../../mfa/domain/factor";
import { answerFromForm, isRetryable, secondStepPage, type SecondStepTicket } from "../../mfa/ports/pages/second-step-html";
import { passwordlessOffer } from "../../passkeys/ports/pages/passwordless-offer";
import { PASSKEY_SCRIPT, PASSKEY_SCRIPT_PATH } from "../../kernel/ports/pages/page-script";
import { STYLESHEET } from "../../kernel/ports/pages/style";
import { ACCOUNT_FORMS, ACCOUNT_PAGES, accountPage, submitAccountForm, type AccountActions } from "./oidc-account";
import { OIDC_PREFIX } from "./provider";

// /oidc on the public listener: the provider's own routes, and the hosted pages it leaves to its
// host under /oidc/interaction/<uid> — login and consent, which it sends the browser to, and the
// account pages the login page links to (oidc-account.ts).
const INTERACTION = `${OIDC_PREFIX}/interaction/`;

// The provider's interaction API takes Node's own request and response types.
type Request = Parameters<Provider["interactionDetails"]>[0];
type Response = Parameters<Provider["interactionDetails"]>[1];

export interface OidcEndpointOptions {
  provider: Provider;
  // The sign-in page calls Login's use cases without their session (passwordStep and
  // answerChallenge: limits, lockout, unverified email, second factor and audit as for Login and
  // CompleteLogin); the pages it links to call registration, verification and password reset's.
  app: AccountActions & Pick<AuthApplication, "passwordStep" | "answerChallenge" | "startPasskeyLogin" | "recordAudit">;
  // Forms carry an HMAC of their interaction under a key derived from this (the signing key's).
  csrfSecret: Uint8Array;
  trustedProxies: BlockList;
  // The device cookie is Secure when the public URL is https.
  secureCookies: boolean;
  log: Logger;
}

export function oidcEndpoint(options: OidcEndpointOptions): HttpMount {
  const { provider } = options;
  const callback = provider.callback();
  const csrf = formTokens(options.csrfSecret, "oidc csrf v1");
  // Where an interaction's forms post, and the token they carry.
  const formsOf = (uid: string): FormPage => ({ base: `${INTERACTION}${uid}`, csrf: csrf.tokenFor(uid) });

  const send = (res: Response, status: number, html: string, redirectTo?: unknown) =>
    respond(res, status, pageHeaders(typeof redirectTo === "string" ? redirectTo : undefined), html);

  async function clientName(clientId: unknown): Promise<string> {
    const client = typeof clientId === "string" ? await provider.Client.find(clientId) : undefined;
    return (client?.metadata().client_name as string | undefined) ?? "an application";
  }

  // The sign-in page of an interaction, with its passkey offer.
  async function signInPage(
    res: Response,
    status: number,
    details: { uid: string; params: { redirect_uri?: unknown } },
    shown: { clientName: string; email?: string; error?: string },
    caller: Caller,
  ): Promise<void> {
    const forms = formsOf(details.uid);
    const passkey = await passwordlessOffer(options.app, forms, "second-step", caller);
    send(res, status, loginPage({ ...forms, ...shown, passkey }), details.params.redirect_uri);
  }

  async function showInteraction(req: Request, res: Response): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const name = await clientName(details.params.client_id);
    if (details.prompt.name === "login")
      return signInPage(res, 200, details, { clientName: name }, callerOfHttp(req, options.trustedProxies));
    const missing = details.prompt.details as { missingOIDCScope?: string[] };
    send(
      res,
      200,
      consentPage({
        ...formsOf(details.uid),
        clientName: name,
        scopes: missing.missingOIDCScope ?? [],
      }),
      details.params.redirect_uri,
    );
  }

  async function submitLogin(req: Request, res: Response, form: URLSearchParams, action: "login" | "second-step"): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const email = form.get("email") ?? "";
    const name = await clientName(details.params.client_id);
    const caller = callerOfHttp(req, options.trustedProxies);
    const secondStep = (status: number, challenge: SecondStepTicket, error?: string) =>
      send(
        res,
        status,
        secondStepPage({
          ...formsOf(details.uid),
          challenge,
          action: "second-step",
          intro: `Your account has two-step sign-in. To continue to ${name}:`,
          ...(error !== undefined ? { error } : {}),
        }),
        details.params.redirect_uri,
      );
    const again = (status: number, error: string) => signInPage(res, status, details, { clientName: name, email, error }, caller);
    // The provider's session says what the sign-in proved: its ID tokens carry amr and acr.
    const finish = async (userId: string, amr: AuthMethod[]) => {
      // The Login RPC records its success with the session it opens; here the session is the provider's.
      await options.app.recordAudit(caller, [
        { type: "login_succeeded", userId, detail: { client_id: String(details.params.client_id), amr: amr.join(" ") } },
      ]);
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: userId, amr, acr: assuranceOf(amr) } },
        { mergeWithLastSubmission: false },
      );
    };
    if (action === "second-step") {
      const { challengeId, answer, offered } = answerFromForm(form);
      try {
        const signedIn = await options.app.answerChallenge({ challengeId, answer }, caller);
        // A session's step-up challenge signs no one in here.
        if (signedIn.sessionId !== undefined) return await again(400, "Sign in again.");
        return await finish(signedIn.userId, signedIn.amr);
      } catch (err) {
        const { status, message } = pageRefusal(err);
        if (isRetryable(err, offered)) return secondStep(status, offered, message);
        return again(status, message);
      }
    }
    try {
      const step = await options.app.passwordStep({ email, password: form.get("password") ?? "" }, caller);
      if ("challenge" in step) return secondStep(200, step.challenge);
      await finish(step.userId, step.amr);
    } catch (err) {
      const { status, message } = signInRefusal(err);
      return again(status, message);
    }
  }

  async function confirm(req: Request, res: Response): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.session?.accountId;
    if (details.prompt.name !== "consent" || accountId === undefined)
      return send(res, 400, messagePage("Nothing to allow", "Go back to the application and start again."));
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    const grant =
      (details.grantId !== undefined ? await provider.Grant.find(details.grantId) : undefined) ??
      new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    if (missing.missingOIDCScope !== undefined) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims !== undefined) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(" "));
    const grantId = await grant.save();
    await options.app.recordAudit(callerOfHttp(req, options.trustedProxies), [
      {
        type: "oidc_consent_granted",
        userId: accountId,
        detail: { client_id: String(details.params.client_id), scope: (missing.missingOIDCScope ?? []).join(" ") },
      },
    ]);
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  async function interaction(req: Request, res: Response, path: string): Promise<void> {
    const [uid = "", action] = path.slice(INTERACTION.length).split("/");
    if (req.method === "GET" && action === undefined) return showInteraction(req, res);
    const accountPageName = ACCOUNT_PAGES.find((p) => p === action);
    if (req.method === "GET" && accountPageName !== undefined) {
      // Only within a live interaction (its cookie), as the login page itself.
      const details = await provider.interactionDetails(req, res);
      return send(res, 200, accountPage(accountPageName, formsOf(details.uid)));
    }
    const accountForm = ACCOUNT_FORMS.find((f) => f === action);
    if (req.method !== "POST" || (accountForm === undefined && !["login", "second-step", "confirm", "abort"].includes(action ?? "")))
      return send(res, 404, messagePage("Not found", "There is no such page."));
    const form = await readForm(req);
    if (form === undefined) return send(res, 413, messagePage("Too large", "The form was larger than any of ours."));
    if (!csrf.valid(uid, form.get("csrf")))
      return send(res, 403, messagePage("Expired form", "This form has expired. Go back to the application and start again."));
    if (accountForm !== undefined) {
      const details = await provider.interactionDetails(req, res);
      const answer = await submitAccountForm(
        options.app,
        accountForm,
        form,
        formsOf(details.uid),
        callerOfHttp(req, options.trustedProxies),
        abandonedSignal(res),
      );
      return send(res, answer.status, answer.html);
    }
    if (action === "login" || action === "second-step") return submitLogin(req, res, form, action);
    if (action === "confirm") return confirm(req, res);
    await provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "the user denied access" },
      { mergeWithLastSubmission: false },
    );
  }

  const handler: HttpHandler = (connectReq, connectRes) => {
    const req = connectReq as unknown as Request;
    const res = connectRes as unknown as Response;
    dropUntrustedForwarding(req, options.trustedProxies);
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (path === STYLESHEET_PATH) {
      respond(res, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=3600" }, STYLESHEET);
      return;
    }
    if (path === PASSKEY_SCRIPT_PATH) {
      respond(res, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" }, PASSKEY_SCRIPT);
      return;
    }
    if (path.startsWith(INTERACTION)) {
      // The risk engine's device (kernel/ports/caller.ts), named on the sign-in pages too.
      for (const cookie of deviceCookieFor(req, options.secureCookies)) res.appendHeader("set-cookie", cookie);
      interaction(req, res, path).catch((err: unknown) => {
        // An interaction that expired, or a cookie that does not match it (SessionNotFound).
        const expired = err instanceof Error && err.name === "SessionNotFound";
        if (!expired) options.log.error({ err }, "oidc interaction failed");
        if (!res.headersSent)
          send(
            res,
            expired ? 400 : 500,
            messagePage(expired ? "Sign-in expired" : "Something went wrong", "Go back to the application and start again."),
          );
      });
      return;
    }
    // The library's mounting recipe for a plain Node server: it sees the path below the prefix,
    // and the original URL.
    const request = req as Request & { originalUrl?: string };
    request.originalUrl = req.url;
    req.url = (req.url ?? "").slice(OIDC_PREFIX.length) || "/";
    void callback(req as never, res as never);
  };
  return { prefix: OIDC_PREFIX, handler };
}
