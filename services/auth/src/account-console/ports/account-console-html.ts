import type { AppGrant } from "../../oauth/domain/oauth-client";
import { errorBox, escapeHtml, field, form, page, SCOPE_TEXT, type FormPage } from "../../kernel/ports/pages/html";

// The account console's pages (account-console.ts): sign in, then the apps the user allowed,
// each with a button that takes its access away. As the other pages: no script, every value escaped.

export const CONSOLE_BASE = "/account";

function notice(text: string | undefined): string {
  return text === undefined ? "" : `<p class="notice" role="status">${escapeHtml(text)}</p>`;
}

// `passkey`: the page's passkey offer (passkeys/ports/pages/passwordless-offer.ts), or none.
export function consoleSignInPage(p: FormPage & { email?: string; passkey?: string }): string {
  return page(
    "Your account",
    `${notice(p.notice)}${errorBox(p.error)}
<p>Sign in to see the apps you allowed to use your FlowShield account.</p>
${form(
  p,
  "login",
  [field("email", "Email", "email", "username webauthn", p.email), field("password", "Password", "password", "current-password")].join(
    "\n",
  ),
  "Sign in",
)}
${p.passkey ?? ""}`,
  );
}

function grantItem(p: FormPage, grant: AppGrant): string {
  const name = grant.clientName === "" ? "An application" : grant.clientName;
  const scopes = grant.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`).join("");
  return `<li class="app"><strong>${escapeHtml(name)}</strong>, allowed ${escapeHtml(grant.createTime.toISOString().slice(0, 10))}
<ul>${scopes}</ul>
${form(p, "revoke", `<input type="hidden" name="client_id" value="${escapeHtml(grant.clientId)}">`, `Remove ${name}'s access`, "secondary")}
</li>`;
}

// The signed-in home: what a security form answered (top), the apps, the second factors.
export function consoleAppsPage(p: FormPage & { grants: AppGrant[]; security: string; top?: string }): string {
  const apps =
    p.grants.length === 0
      ? "<p>You have not allowed any app to use your account.</p>"
      : `<p>These apps may act for you. Removing one ends its tokens at once; it asks you again next time.</p>
<ul class="apps">
${p.grants.map((g) => grantItem(p, g)).join("\n")}
</ul>`;
  return page(
    "Your account",
    `${notice(p.notice)}${errorBox(p.error)}
${p.top ?? ""}
<h2>Apps you allowed</h2>
${apps}
${p.security}
${form(p, "logout", "", "Sign out", "secondary")}
${form(p, "sign-out-everywhere", "", "Sign out everywhere (every device and app)", "secondary")}`,
  );
}

// "This was not me", from a new sign-in's notice: the link's email and code, asked to be
// confirmed first (a mail scanner that opens links ends nothing).
export function notMePage(p: FormPage & { email: string; code: string }): string {
  const hidden = `<input type="hidden" name="email" value="${escapeHtml(p.email)}">
<input type="hidden" name="code" value="${escapeHtml(p.code)}">`;
  return page(
    "Was this not you?",
    `${errorBox(p.error)}
<p>If someone else signed in to your account, sign out every session and every app at once. Then reset your password.</p>
${form(p, "not-me", hidden, "Sign out everywhere")}`,
  );
}
