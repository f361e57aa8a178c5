import { createHash, randomBytes } from "node:crypto";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { GOOD_PASSWORD, OPERATOR_CREDENTIAL, uniqueEmail, uniqueUsername } from "../support/env";
import { codeIn } from "../support/mail-server";
import { formsOf, OidcBrowser } from "../support/oidc-browser";
import { useFullStack } from "../support/stack";

// The pages the provider's login page links to, submitted as a browser would, on the full stack
// (the registration saga, the worker's mails through a real SMTP server): create an account,
// verify it with the mailed code, sign in; forget the password, reset it with the mailed code.

jest.setTimeout(90_000);

const REDIRECT = "http://localhost:5173/callback";
const stack = useFullStack({ requireVerifiedEmail: true });
let clientId: string;

beforeAll(async () => {
  const admin = createInternalClient(OAuthClientAdminService, stack().auth.internalUrl, OPERATOR_CREDENTIAL);
  const created = await admin.createClient({
    name: "Account Pages App",
    type: OAuthClientType.PUBLIC,
    grantTypes: [OAuthGrantType.AUTHORIZATION_CODE],
    redirectUris: [REDIRECT],
  });
  clientId = created.client!.clientId;
});

// Starts an authorization and answers the browser sitting on the login page, and the page's base.
async function atLogin(): Promise<{ browser: OidcBrowser; base: string }> {
  const browser = new OidcBrowser(stack().auth.publicUrl);
  const challenge = createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url");
  const params = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: "openid email",
    state: "s",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const step = await browser.follow(await browser.go(`/oidc/auth?${params}`), REDIRECT);
  const html = await step.res.text();
  expect(html).toContain("Create an account");
  const base = formsOf(html)[0]!.action.replace(/\/login$/, "");
  return { browser, base };
}

// Opens a page of the interaction and submits its first form with the given fields.
async function submit(browser: OidcBrowser, path: string, fields: Record<string, string>, formIndex = 0) {
  const page = await browser.go(path);
  expect(page.status).toBe(200);
  const form = formsOf(await page.text())[formIndex]!;
  const res = await browser.go(form.action, { form: { ...form.fields, ...fields } });
  return { status: res.status, html: await res.text(), res };
}

test("create an account, verify it with the mailed code, then sign in and reach the consent page", async () => {
  const { browser, base } = await atLogin();
  const email = uniqueEmail();
  const made = await submit(browser, `${base}/register`, {
    email,
    password: GOOD_PASSWORD,
    username: uniqueUsername(),
    display_name: "Page Person",
  });
  expect(made.status).toBe(200);
  expect(made.html).toContain("We mailed you a code");

  const code = codeIn(await stack().mail.waitForMail(email, /verify/i));
  const verified = await submit(browser, `${base}/verify`, { email, code });
  expect(verified.html).toContain("Your email is verified");

  const signedIn = await submit(browser, base, { email, password: GOOD_PASSWORD });
  expect(signedIn.status).toBe(303);
  const next = await browser.follow(signedIn.res, REDIRECT);
  expect(await next.res.text()).toContain("Allow access?");
});

test("the pages show refusals where they happen: a taken username, a wrong code, an unverified sign-in", async () => {
  const username = uniqueUsername();
  await stack().authGrpc.register({ email: uniqueEmail(), password: GOOD_PASSWORD, username, displayName: "First" });
  const { browser, base } = await atLogin();
  const taken = await submit(browser, `${base}/register`, {
    email: uniqueEmail(),
    password: GOOD_PASSWORD,
    username,
    display_name: "Second",
  });
  expect(taken.status).toBe(409);
  expect(taken.html).toContain("username is taken");

  const email = uniqueEmail();
  await submit(browser, `${base}/register`, { email, password: GOOD_PASSWORD, username: uniqueUsername(), display_name: "Third" });
  const wrong = await submit(browser, `${base}/verify`, { email, code: "AAAAA-AAAAA" });
  expect(wrong.status).toBe(400);
  expect(wrong.html).toContain('role="alert"');

  const unverified = await submit(browser, base, { email, password: GOOD_PASSWORD });
  expect(unverified.status).toBe(403);
  expect(unverified.html).toContain("verify your email first");
});

test("forgot the password: a mailed code resets it, and the new one signs in", async () => {
  const email = uniqueEmail();
  await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Forgetful" });
  const verifyCode = codeIn(await stack().mail.waitForMail(email, /verify/i));
  await stack().authGrpc.verifyEmail({ email, code: verifyCode });

  const { browser, base } = await atLogin();
  const asked = await submit(browser, `${base}/forgot`, { email });
  expect(asked.html).toContain("a code is on its way");
  const code = codeIn(await stack().mail.waitForMail(email, /password reset/i));
  const form = formsOf(asked.html)[0]!;
  const reset = await browser.go(form.action, { form: { ...form.fields, email, code, new_password: "a brand new passphrase" } });
  expect(await reset.text()).toContain("Your password is changed");

  const old = await submit(browser, base, { email, password: GOOD_PASSWORD });
  expect(old.status).toBe(401);
  const signedIn = await submit(browser, base, { email, password: "a brand new passphrase" });
  expect(signedIn.status).toBe(303);
});

test("a page of an interaction the browser does not hold is refused", async () => {
  const { base } = await atLogin();
  const stranger = new OidcBrowser(stack().auth.publicUrl);
  const res = await stranger.go(`${base}/register`);
  expect(res.status).toBe(400);
  expect(await res.text()).toContain("Sign-in expired");
});
