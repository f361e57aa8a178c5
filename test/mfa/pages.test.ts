import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import * as oauth from "openid-client";
import type { Page } from "playwright-core";
import { authenticatorApp } from "../../scripts/authenticator-app";
import { useBrowserRelyingParty } from "../support/browser-relying-party";
import { GOOD_PASSWORD } from "../support/env";
import { discoverProvider, pkceAuthorization } from "../support/oidc-browser";
import { enrolTotp } from "../support/second-factor";
import { createActiveUser } from "../support/users";

// Two-step sign-in on the hosted pages, in Debian's Chromium: setting up an authenticator app on
// the account console, signing in there with it (and with a recovery code), and an app's code
// flow asking for it (acr_values, max_age), the ID token checked by openid-client. Screenshots go
// to test-results/mfa/. No script runs but the passkey ceremonies' own (the sign-in page offers
// passkeys), and nothing here needs it.

jest.setTimeout(120_000);

const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-results", "mfa");
const rp = useBrowserRelyingParty();
beforeAll(() => mkdir(ARTIFACTS, { recursive: true }));

async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(GOOD_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function answerSecondStep(page: Page, code: string): Promise<void> {
  await page.getByRole("heading", { name: "Two-step sign-in" }).waitFor();
  await page.getByLabel(/6-digit code/).fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
}

test("the account console: set up an authenticator app, see the recovery codes once, then sign in with a code and with a recovery code", async () => {
  const user = await createActiveUser(rp().auth.internalUrl);
  const page = await rp().browser.newPage();
  const scripts: string[] = [];
  page.on("request", (r) => void (r.resourceType() === "script" && scripts.push(r.url())));
  await page.goto(`${rp().base}/account`);
  await signIn(page, user.email);
  await page.getByRole("heading", { name: "Two-step sign-in" }).waitFor();
  await page.getByText("Only your password protects your account.").waitFor();
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();

  const secret = (await page.locator(".secret code").textContent())!.replace(/\s/g, "");
  expect(await page.getByRole("link", { name: /^otpauth:\/\/totp\// }).getAttribute("href")).toContain(`secret=${secret}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "setup.png"), fullPage: true });
  const app = authenticatorApp(secret);
  await page.getByLabel("The 6-digit code from your app").fill(await app.code());
  await page.getByRole("button", { name: "Confirm" }).click();
  await page.getByText("Your authenticator app is set up.").waitFor();
  const codes = await page.locator(".recovery-codes code").allTextContents();
  expect(codes).toHaveLength(10);
  await page.screenshot({ path: path.join(ARTIFACTS, "recovery-codes.png"), fullPage: true });
  // Shown once: the page after this one lists none.
  await page.goto(`${rp().base}/account`);
  await expect(page.locator(".recovery-codes").count()).resolves.toBe(0);
  await page.getByText("10 recovery codes left.").waitFor();

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await signIn(page, user.email);
  await page.getByRole("heading", { name: "Two-step sign-in" }).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "second-step.png") });
  await answerSecondStep(page, "000000");
  await expect(page.getByRole("alert").textContent()).resolves.toBe("that code or passkey is wrong or was used already");
  await answerSecondStep(page, await app.code());
  await page.getByText("Authenticator app").first().waitFor();
  await page.getByText("10 recovery codes left.").waitFor();

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await signIn(page, user.email);
  await answerSecondStep(page, codes[0]!.toLowerCase());
  await page.getByText("9 recovery codes left.").waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "account-security.png"), fullPage: true });
  expect([...new Set(scripts.map((u) => new URL(u).pathname))]).toEqual(["/oidc/interaction/passkeys.js"]);
  await page.close();
});

test("an app asking acr_values=aal2: the login page asks for the code, the ID token says pwd+otp (aal2); max_age=0 asks both again", async () => {
  const user = await createActiveUser(rp().auth.internalUrl);
  const { app } = await enrolTotp(rp().auth, user.email);
  const config = await discoverProvider(`${rp().base}/oidc`, rp().clientId);
  const page = await rp().browser.newPage();

  const signInThroughApp = async (params: Record<string, string>, consent: boolean) => {
    const { url, verifier, state } = await pkceAuthorization(config, { redirect_uri: rp().redirectUri, scope: "openid email", ...params });
    await page.goto(url.href);
    await signIn(page, user.email);
    await answerSecondStep(page, await app.code());
    if (consent) await page.getByRole("button", { name: "Allow" }).click();
    await page.waitForURL((u) => u.href.startsWith(rp().redirectUri));
    return oauth.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
  };

  const first = await signInThroughApp({ acr_values: "aal2" }, true);
  expect(first.claims()).toMatchObject({ sub: user.id, amr: ["pwd", "otp", "mfa"], acr: "aal2" });
  // Signed in already: without max_age the app gets its code at once; with max_age=0, both steps again.
  const before = Math.floor(Date.now() / 1000);
  const again = await signInThroughApp({ max_age: "0" }, false);
  expect(again.claims()).toMatchObject({ amr: ["pwd", "otp", "mfa"], acr: "aal2" });
  expect(again.claims()!.auth_time).toBeGreaterThanOrEqual(before);
  await page.close();
});

test("acr_values=aal2 for an account with one factor: it signs in with its password, and the ID token says aal1", async () => {
  const user = await createActiveUser(rp().auth.internalUrl);
  const config = await discoverProvider(`${rp().base}/oidc`, rp().clientId);
  const { url, verifier, state } = await pkceAuthorization(config, { redirect_uri: rp().redirectUri, scope: "openid", acr_values: "aal2" });
  const page = await rp().browser.newPage();
  await page.goto(url.href);
  await signIn(page, user.email);
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(rp().redirectUri));
  const tokens = await oauth.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
  expect(tokens.claims()).toMatchObject({ amr: ["pwd"], acr: "aal1" });
  await page.close();
});
