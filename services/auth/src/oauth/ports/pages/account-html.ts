import { errorBox, escapeHtml, field, form, page, type FormPage } from "../../../kernel/ports/pages/html";

// The account pages the login page links to — create an account, verify the email, reset a
// forgotten password — each a form posted back under the same interaction, so the person returns
// to signing in afterwards. Same rules as the login page: no script, every value escaped.

function notice(text: string | undefined): string {
  return text === undefined ? "" : `<p class="notice" role="status">${escapeHtml(text)}</p>`;
}

const back = (p: FormPage) => `<p class="links"><a href="${escapeHtml(p.base)}">Back to sign in</a></p>`;

export function registerPage(p: FormPage & { email?: string; username?: string; displayName?: string }): string {
  return page(
    "Create an account",
    `${errorBox(p.error)}
${form(
  p,
  "register",
  [
    field("email", "Email", "email", "email", p.email),
    field("username", "Username (3–32 of a–z, 0–9, _)", "text", "username", p.username),
    field("display_name", "Display name", "text", "name", p.displayName),
    field("password", "Password (at least 8 characters)", "password", "new-password"),
  ].join("\n"),
  "Create account",
)}
${back(p)}`,
  );
}

export function verifyPage(p: FormPage & { email?: string }): string {
  return page(
    "Verify your email",
    `${notice(p.notice)}${errorBox(p.error)}
${form(p, "verify", [field("email", "Email", "email", "email", p.email), field("code", "Code from the mail", "text", "one-time-code")].join("\n"), "Verify")}
${form(p, "resend", `<input type="hidden" name="email" value="${escapeHtml(p.email ?? "")}">`, "Send a new code")}
${back(p)}`,
  );
}

export function forgotPage(p: FormPage & { email?: string }): string {
  return page(
    "Forgot your password?",
    `${errorBox(p.error)}
<p>We mail a code to the address, if it has an account.</p>
${form(p, "forgot", field("email", "Email", "email", "email", p.email), "Mail me a code")}
${back(p)}`,
  );
}

export function resetPage(p: FormPage & { email?: string }): string {
  return page(
    "Choose a new password",
    `${notice(p.notice)}${errorBox(p.error)}
${form(
  p,
  "reset",
  [
    field("email", "Email", "email", "email", p.email),
    field("code", "Code from the mail", "text", "one-time-code"),
    field("new_password", "New password (at least 8 characters)", "password", "new-password"),
  ].join("\n"),
  "Set password",
)}
${back(p)}`,
  );
}

export function donePage(p: FormPage, title: string, text: string): string {
  return page(title, `${notice(text)}\n<p class="links"><a href="${escapeHtml(p.base)}">Continue to sign in</a></p>`);
}
