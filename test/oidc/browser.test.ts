import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import * as oauth from "openid-client";
import type { Browser, Page } from "playwright-core";
import type { RunningAuthService } from "@flowshield/auth/server";
import { GOOD_PASSWORD } from "../support/env";
import { createActiveUser } from "../support/users";
import { discoverProvider, pkceAuthorization } from "../support/oidc-browser";
import { useBrowserRelyingParty } from "../support/browser-relying-party";

// The hosted pages in a real browser: Debian's Chromium driven by playwright-core (`make test`
// installs it). A relying party's callback page answers on loopback; screenshots of the login and
// consent pages are written to test-results/oidc/.

jest.setTimeout(120_000);

const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-results", "oidc");
const rp = useBrowserRelyingParty();
let auth: RunningAuthService;
let base: string;
let redirectUri: string;
let clientId: string;
let browser: Browser;

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  ({ auth, base, redirectUri, clientId, browser } = rp());
});

const newUser = () => createActiveUser(auth.internalUrl);

async function authorization() {
  const config = await discoverProvider(`${base}/oidc`, clientId);
  return { config, ...(await pkceAuthorization(config, { redirect_uri: redirectUri, scope: "openid email profile" })) };
}

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("log in, consent, and land on the redirect with a code that exchanges for tokens", async () => {
  const user = await newUser();
  const { config, url, verifier, state } = await authorization();
  const page = await browser.newPage();
  await page.goto(url.href);
  await expect(page.getByRole("heading", { name: "Sign in" }).isVisible()).resolves.toBe(true);
  await expect(page.getByText("Browser Test App").isVisible()).resolves.toBe(true);
  await page.screenshot({ path: path.join(ARTIFACTS, "login.png") });

  await signIn(page, user.email, GOOD_PASSWORD);
  await page.getByRole("heading", { name: "Allow access?" }).waitFor();
  await expect(page.getByText("See your email address and whether it is verified").isVisible()).resolves.toBe(true);
  await page.screenshot({ path: path.join(ARTIFACTS, "consent.png") });

  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  const landed = new URL(page.url());
  expect(landed.searchParams.get("code")).toEqual(expect.any(String));
  const tokens = await oauth.authorizationCodeGrant(config, landed, { pkceCodeVerifier: verifier, expectedState: state });
  expect(tokens.claims()?.sub).toBe(user.id);
  await page.close();
});

test("a wrong password shows the error on the page; a locked account is refused even with the right one", async () => {
  const user = await newUser();
  const page = await browser.newPage();
  await page.goto((await authorization()).url.href);
  await signIn(page, user.email, "not the password");
  await expect(page.getByRole("alert").textContent()).resolves.toBe("Wrong email or password.");
  for (let i = 0; i < 9; i++) await signIn(page, user.email, "still not it");
  await signIn(page, user.email, GOOD_PASSWORD);
  await expect(page.getByRole("alert").textContent()).resolves.toMatch(/too many/i);
  await page.screenshot({ path: path.join(ARTIFACTS, "locked.png") });
  await page.close();
});

test("logout ends the session: signing out on the provider's page, then the next authorization asks to sign in", async () => {
  const user = await newUser();
  const { config, url, verifier, state } = await authorization();
  const page = await browser.newPage();
  await page.goto(url.href);
  await signIn(page, user.email, GOOD_PASSWORD);
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(redirectUri));
  const tokens = await oauth.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });

  await page.goto(oauth.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! }).href);
  await page.screenshot({ path: path.join(ARTIFACTS, "logout.png") });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByText("You are signed out of FlowShield.").waitFor();

  await page.goto((await authorization()).url.href);
  await expect(page.getByRole("heading", { name: "Sign in" }).isVisible()).resolves.toBe(true);
  await page.close();
});

test("the account console: sign in, see the app allowed, remove its access, sign out", async () => {
  const user = await newUser();
  const { url } = await authorization();
  const page = await browser.newPage();
  await page.goto(url.href);
  await signIn(page, user.email, GOOD_PASSWORD);
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(redirectUri));

  await page.goto(`${base}/account`);
  await signIn(page, user.email, GOOD_PASSWORD);
  await page.getByRole("heading", { name: "Apps you allowed" }).waitFor();
  await expect(page.getByText("Browser Test App", { exact: true }).isVisible()).resolves.toBe(true);
  await page.screenshot({ path: path.join(ARTIFACTS, "account-apps.png") });
  await page.getByRole("button", { name: "Remove Browser Test App's access" }).click();
  await page.getByText("You have not allowed any app to use your account.").waitFor();

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByText("Sign in to see the apps you allowed").waitFor();
  await page.close();
});
