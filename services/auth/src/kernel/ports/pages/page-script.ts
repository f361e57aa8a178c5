import { createHash } from "node:crypto";

// The hosted pages' one script: the WebAuthn ceremonies, which a page cannot do without one.
// Served from our origin and allowed by its hash (content-security-policy script-src, and the
// tag's integrity): no other script, inline or elsewhere, runs. A page that offers a passkey
// carries the ceremony's options as a JSON data block (#passkey-ceremony: never executed) and a
// form (#passkey-form) the script fills with the browser's answer and submits; every page works
// without it for passwords and codes.
//
// Modes: "create" (register a passkey, on the button), "get" (a second step, on the button),
// "conditional" (the sign-in page: the browser offers passkeys in the email field's autofill,
// and the button asks at once).
export const PASSKEY_SCRIPT = `"use strict";
(() => {
  const data = document.getElementById("passkey-ceremony");
  const form = document.getElementById("passkey-form");
  if (!data || !form || !window.PublicKeyCredential) return;
  const { mode, options } = JSON.parse(data.textContent);
  const status = document.getElementById("passkey-status");
  let pending;
  async function ceremony(mediation) {
    pending?.abort();
    pending = new AbortController();
    try {
      const credential =
        mode === "create"
          ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options), signal: pending.signal })
          : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options), mediation, signal: pending.signal });
      form.elements.webauthn.value = JSON.stringify(credential.toJSON());
      form.submit();
    } catch (err) {
      if (err.name !== "AbortError" && status) status.textContent = "The passkey did not answer. Try again, or sign in another way.";
    }
  }
  document.getElementById("passkey-button")?.addEventListener("click", () => ceremony("optional"));
  if (mode === "conditional")
    PublicKeyCredential.isConditionalMediationAvailable?.().then((available) => available && ceremony("conditional"));
})();
`;

export const PASSKEY_SCRIPT_PATH = "/oidc/interaction/passkeys.js";
// sha256-<base64>: the CSP's script-src source and the tag's integrity.
export const PASSKEY_SCRIPT_HASH = `sha256-${createHash("sha256").update(PASSKEY_SCRIPT).digest("base64")}`;
