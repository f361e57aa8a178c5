import type { Factor } from "../../mfa/domain/factor";
import { escapeHtml, form, type FormPage } from "../../kernel/ports/pages/html";
import { passkeyCeremony } from "../../passkeys/ports/pages/passkey-html";
import type { ChallengeTicket } from "../../mfa/app/second-step";

// The account console's security section and pages (security-forms.ts): the user's second
// factors, setting up an authenticator app, and recovery codes shown once. No script.

const day = (time: Date) => escapeHtml(time.toISOString().slice(0, 10));

function factorItem(p: FormPage, factor: Factor): string {
  const used = factor.lastUseTime !== undefined ? `, last used ${day(factor.lastUseTime)}` : ", not used yet";
  return `<li class="factor"><strong>${escapeHtml(factor.name)}</strong>, added ${day(factor.createTime)}${used}
${form(p, "remove-factor", `<input type="hidden" name="factor_id" value="${escapeHtml(factor.id)}">`, `Remove ${factor.name}`, "secondary")}
</li>`;
}

export function securitySection(p: FormPage & { factors: Factor[]; recoveryCodesLeft: number }): string {
  const list =
    p.factors.length === 0
      ? "<p>Only your password protects your account. Add a second step: a code from an authenticator app, or a passkey (which also signs you in without a password).</p>"
      : `<ul class="factors">
${p.factors.map((f) => factorItem(p, f)).join("\n")}
</ul>
<p>${p.recoveryCodesLeft} recovery codes left.</p>
${form(p, "recovery-codes", "", "Make new recovery codes", "secondary")}`;
  const addTotp = p.factors.some((f) => f.type === "totp") ? "" : form(p, "totp-start", "", "Set up an authenticator app");
  const addPasskey = form(
    p,
    "passkey-start",
    `<label for="passkey-name">A name for a new passkey (optional)</label>
<input id="passkey-name" name="name" type="text" maxlength="64" autocomplete="off">`,
    "Add a passkey",
  );
  return `<h2>Two-step sign-in</h2>
${list}
${addTotp}
${addPasskey}`;
}

export function totpSetupSection(p: FormPage & { enrollmentId: string; secret: string; otpauthUri: string }): string {
  const grouped = p.secret.match(/.{1,4}/g)?.join(" ") ?? p.secret;
  return `<p>Add this key to your authenticator app (type it in, or open the link on the device that has the app):</p>
<p class="secret"><code>${escapeHtml(grouped)}</code></p>
<p><a href="${escapeHtml(p.otpauthUri)}">${escapeHtml(p.otpauthUri)}</a></p>
<p>Then enter the code the app shows. This key is shown once; it stops working if not confirmed within 10 minutes.</p>
${form(
  p,
  "totp-confirm",
  `<input type="hidden" name="enrollment_id" value="${escapeHtml(p.enrollmentId)}">
<label for="code">The 6-digit code from your app</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus>`,
  "Confirm",
)}`;
}

export function recoveryCodesSection(codes: string[]): string {
  if (codes.length === 0) return "";
  return `<p>Your recovery codes. Each signs you in once if you lose your authenticator app or passkey. Keep them somewhere safe: they are shown only now.</p>
<ul class="recovery-codes">
${codes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join("\n")}
</ul>`;
}

// A step-up's challenge, answered with whichever of the user's factors may (a passkey, the app's
// code); its id travels in the form as the second step's does.
export function stepUpSection(p: FormPage, challenge: Pick<ChallengeTicket, "id" | "kinds" | "webauthnOptionsJson">): string {
  const passkey =
    challenge.webauthnOptionsJson !== undefined
      ? passkeyCeremony(p, {
          mode: "get",
          optionsJson: challenge.webauthnOptionsJson,
          action: "step-up",
          fields: { challenge: challenge.id },
          button: "Use your passkey",
        })
      : "";
  const code = challenge.kinds.includes("totp")
    ? form(
        p,
        "step-up",
        `<input type="hidden" name="challenge" value="${escapeHtml(challenge.id)}">
<label for="code">The 6-digit code from your authenticator app</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required${passkey === "" ? " autofocus" : ""}>`,
        "Confirm",
      )
    : "";
  return `<p>To change your sign-in methods, confirm it is you first.</p>
${passkey}
${code}`;
}

export function passkeySetupSection(p: FormPage, optionsJson: string, name: string): string {
  return `<p>Create a passkey with your device (its screen lock, a fingerprint or a security key). It signs you in without a password, and stands as your second step after one.</p>
${passkeyCeremony(p, { mode: "create", optionsJson, action: "passkey-finish", fields: { name }, button: "Create the passkey" })}`;
}
