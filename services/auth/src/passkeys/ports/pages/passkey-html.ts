import { escapeHtml, type FormPage } from "../../../kernel/ports/pages/html";
import { PASSKEY_SCRIPT_HASH, PASSKEY_SCRIPT_PATH } from "../../../kernel/ports/pages/page-script";

// A WebAuthn ceremony on a page: its options (a JSON data block the script reads), the form the
// script submits with the browser's answer (posted to `action` with `fields`), the button that
// starts it, and the script. Without the script (none in this browser, or no passkey support)
// the button does nothing and the page's other forms still work.
export function passkeyCeremony(
  p: FormPage,
  c: { mode: "create" | "get" | "conditional"; optionsJson: string; action: string; fields: Record<string, string>; button: string },
): string {
  // "</script" cannot end the data block: JSON's "<" is escaped.
  const data = JSON.stringify({ mode: c.mode, options: JSON.parse(c.optionsJson) as unknown }).replace(/</g, "\\u003c");
  const hidden = Object.entries({ csrf: p.csrf, ...c.fields, webauthn: "" })
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n");
  return `<script type="application/json" id="passkey-ceremony">${data}</script>
<form id="passkey-form" method="post" action="${escapeHtml(`${p.base}/${c.action}`)}">
${hidden}
<button type="button" id="passkey-button">${escapeHtml(c.button)}</button>
<p id="passkey-status" class="notice-quiet" role="status"></p>
<noscript><p>Passkeys need JavaScript in this browser.</p></noscript>
</form>
<script src="${PASSKEY_SCRIPT_PATH}" integrity="${PASSKEY_SCRIPT_HASH}" defer></script>`;
}
