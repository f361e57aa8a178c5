import { PASSKEY_SCRIPT_HASH } from "./page-script";

// The provider's hosted pages as server-rendered HTML: small, accessible, one stylesheet from our
// own origin (style.ts), every value escaped, and no script but the passkey ceremonies' one
// (page-script.ts), allowed by its hash.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

export const STYLESHEET_PATH = "/oidc/interaction/style.css";

// Only our stylesheet and our one script (by its hash), no framing, and forms that go to us — and
// to the client's redirect URI's origin: a browser applies form-action to the redirects that
// follow a submission too, and the provider's last redirect goes back to the client.
export function pageHeaders(redirectTo?: string): Record<string, string> {
  const origin = redirectTo !== undefined && URL.canParse(redirectTo) ? new URL(redirectTo).origin : undefined;
  const formAction = origin !== undefined && origin !== "null" ? `'self' ${origin}` : "'self'";
  return {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": `default-src 'none'; style-src 'self'; script-src '${PASSKEY_SCRIPT_HASH}'; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  };
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · FlowShield</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function errorBox(message: string | undefined): string {
  return message === undefined ? "" : `<p class="error" role="alert">${escapeHtml(message)}</p>`;
}

// A form of the interaction: posted to `base/action` with the interaction's CSRF token.
export interface FormPage {
  // The interaction's base path (/oidc/interaction/<uid>); actions are below it.
  base: string;
  csrf: string;
  error?: string;
  notice?: string;
}

export function field(name: string, label: string, type: string, autocomplete: string, value = ""): string {
  return `<label for="${name}">${escapeHtml(label)}</label>
<input id="${name}" name="${name}" type="${type}" autocomplete="${autocomplete}" required value="${escapeHtml(value)}">`;
}

export function form(p: FormPage, action: string, fields: string, button: string, buttonClass?: string): string {
  return `<form method="post" action="${escapeHtml(`${p.base}/${action}`)}">
<input type="hidden" name="csrf" value="${escapeHtml(p.csrf)}">
${fields}
<button type="submit"${buttonClass !== undefined ? ` class="${buttonClass}"` : ""}>${escapeHtml(button)}</button>
</form>`;
}

// `passkey`: the page's passkey offer (passkeys/ports/pages/passwordless-offer.ts), or none.
export function loginPage(o: FormPage & { clientName: string; email?: string; passkey?: string }): string {
  return page(
    "Sign in",
    `<p>to continue to <strong>${escapeHtml(o.clientName)}</strong></p>
${errorBox(o.error)}
${form(
  o,
  "login",
  [field("email", "Email", "email", "username webauthn", o.email), field("password", "Password", "password", "current-password")].join(
    "\n",
  ),
  "Sign in",
)}
${o.passkey ?? ""}
<p class="links"><a href="${escapeHtml(`${o.base}/register`)}">Create an account</a>
<a href="${escapeHtml(`${o.base}/forgot`)}">Forgot your password?</a>
<a href="${escapeHtml(`${o.base}/verify`)}">Verify your email</a></p>`,
  );
}

export const SCOPE_TEXT: Record<string, string> = {
  openid: "Know who you are (your account id)",
  email: "See your email address and whether it is verified",
  profile: "See your username and display name",
  offline_access: "Stay signed in to it when you are away (a refresh token)",
};

export function consentPage(o: FormPage & { clientName: string; scopes: string[] }): string {
  const items = o.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`).join("\n");
  return page(
    "Allow access?",
    `<p><strong>${escapeHtml(o.clientName)}</strong> asks to:</p>
<ul>
${items}
</ul>
${form(o, "confirm", "", "Allow")}
${form(o, "abort", "", "Deny", "secondary")}`,
  );
}

// The provider's own logout form (its hidden xsrf field) is given; the buttons submit it.
export function logoutPage(o: { form: string; clientName?: string }): string {
  return page(
    "Sign out",
    `<p>Sign out of FlowShield${o.clientName !== undefined ? ` and <strong>${escapeHtml(o.clientName)}</strong>` : ""}?</p>
${o.form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}
