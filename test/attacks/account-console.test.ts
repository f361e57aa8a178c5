import * as oauth from "openid-client";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { RunningAuthService } from "@flowshield/auth/server";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { GOOD_PASSWORD } from "../support/env";
import { registerClient, startProvider } from "../support/provider";
import { discoverProvider, formsOf, OidcBrowser, pkceAuthorization, signInOnPages } from "../support/oidc-browser";
import { createActiveUser } from "../support/users";

// The account console (/account): a user signs in and takes an app's access away. Attacked as a
// stranger signed in on it naming the victim's app, as another site posting the victim's browser's
// forms (CSRF), with a console cookie stolen after sign-out, and with a burst of wrong passwords.

jest.setTimeout(120_000);

const REDIRECT = "http://localhost:5173/callback";
let auth: RunningAuthService;
let base: string;
let app: { clientId: string; clientSecret: string };
beforeAll(async () => {
  ({ auth, base } = await startProvider());
  app = await registerClient(auth, {
    name: "Photo <Printer>",
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes: [OAuthGrantType.AUTHORIZATION_CODE, OAuthGrantType.REFRESH_TOKEN],
    redirectUris: [REDIRECT],
  });
});
afterAll(async () => {
  await auth?.close();
});

// A user who allowed the app (its tokens), and a browser of their own.
async function userWithApp() {
  const user = await createActiveUser(auth.internalUrl);
  const config = await discoverProvider(`${base}/oidc`, app.clientId, app.clientSecret);
  const { url, verifier, state } = await pkceAuthorization(config, {
    redirect_uri: REDIRECT,
    scope: "openid email offline_access",
    prompt: "consent",
  });
  const { location } = await signInOnPages(new OidcBrowser(base), url, { email: user.email, password: GOOD_PASSWORD }, REDIRECT);
  const tokens = await oauth.authorizationCodeGrant(config, location!, { pkceCodeVerifier: verifier, expectedState: state });
  return { ...user, config, refreshToken: tokens.refresh_token! };
}

// Signs in on the console; answers the browser and the page it lands on.
async function consoleSignIn(email: string, password = GOOD_PASSWORD) {
  const browser = new OidcBrowser(base);
  const [form] = formsOf(await (await browser.go("/account")).text());
  const answer = await browser.go(form!.action, { form: { ...form!.fields, email, password } });
  const landed = answer.status === 303 ? await browser.go(answer.headers.get("location")!) : answer;
  return { browser, status: answer.status, html: await landed.text() };
}

const revokeForm = (html: string) => formsOf(html).find((f) => f.action === "/account/revoke");
const appStillWorks = async (user: Awaited<ReturnType<typeof userWithApp>>) => {
  const refreshed = await oauth.refreshTokenGrant(user.config, user.refreshToken);
  user.refreshToken = refreshed.refresh_token!;
  return refreshed.access_token.length > 0;
};

test("a user signs in, sees the app they allowed, takes its access away, and the app's refresh token is dead", async () => {
  const user = await userWithApp();
  const { browser, status, html } = await consoleSignIn(user.email);
  expect(status).toBe(303);
  // The app by its name, escaped, with what it may do.
  expect(html).toContain("Photo &lt;Printer&gt;");
  expect(html).toContain("See your email address and whether it is verified");
  expect(revokeForm(html)?.fields.client_id).toBe(app.clientId);
  expect(await appStillWorks(user)).toBe(true);

  const removed = await browser.go("/account/revoke", { form: revokeForm(html)!.fields });
  expect(removed.status).toBe(303);
  const after = await (await browser.go("/account")).text();
  expect(after).toContain("You have not allowed any app");
  await expect(oauth.refreshTokenGrant(user.config, user.refreshToken)).rejects.toMatchObject({ error: "invalid_grant" });
});

test("a stranger signed in on the console, naming the victim's app, removes nothing of the victim's", async () => {
  const victim = await userWithApp();
  const stranger = await userWithApp();
  const { browser, html } = await consoleSignIn(stranger.email);
  // The stranger's own form names the same client id as the victim's would: only the stranger's grant goes.
  const removed = await browser.go("/account/revoke", { form: revokeForm(html)!.fields });
  expect(removed.status).toBe(303);
  expect(await appStillWorks(victim)).toBe(true);
  await expect(oauth.refreshTokenGrant(stranger.config, stranger.refreshToken)).rejects.toMatchObject({ error: "invalid_grant" });
});

test("another site's post of the victim's forms (CSRF) is refused: without the form token, with another browser's, or without its cookie", async () => {
  const victim = await userWithApp();
  const { browser, html } = await consoleSignIn(victim.email);
  const fields = revokeForm(html)!.fields;
  const other = await consoleSignIn((await userWithApp()).email);
  const othersToken = revokeForm(other.html)!.fields.csrf!;
  const forgeries: Array<Record<string, string>> = [{ client_id: app.clientId }, { ...fields, csrf: othersToken }, { ...fields, csrf: "" }];
  for (const forged of forgeries) {
    const answer = await browser.go("/account/revoke", { form: forged });
    expect([answer.status, await answer.text()]).toEqual([403, expect.stringContaining("This form has expired")]);
  }
  // A cross-site request carries the session cookie but not the SameSite=Strict token cookie: the
  // token alone, from a page the attacker once loaded, does not do.
  const session = browser.cookie("fs_account")!;
  const cookieless = await fetch(`${base}/account/revoke`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `fs_account=${session}` },
    body: new URLSearchParams(fields).toString(),
  });
  expect(cookieless.status).toBe(403);
  expect(await appStillWorks(victim)).toBe(true);
});

test("the console's cookies are HttpOnly and SameSite=Strict, and its pages keep the strict CSP", async () => {
  const res = await new OidcBrowser(base).go("/account");
  expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
  const cookies = res.headers.getSetCookie();
  const console = cookies.filter((c) => c.startsWith("fs_account"));
  expect(console.length).toBeGreaterThan(0);
  for (const cookie of console) expect(cookie).toMatch(/; Path=\/account; HttpOnly; SameSite=Strict/);
  // The risk engine's device cookie (site-wide, two years, Lax so that a link into the sign-in
  // pages keeps naming the browser): an id, no secret, unreadable by scripts; and nothing else.
  const others = cookies.filter((c) => !c.startsWith("fs_account"));
  expect(others).toHaveLength(1);
  expect(others[0]).toMatch(/^fs_device=[A-Za-z0-9_-]{32}; Path=\/; Max-Age=63072000; HttpOnly; SameSite=Lax$/);
});

test("a console cookie stolen before sign-out, or before the user signed out everywhere, opens nothing", async () => {
  const user = await userWithApp();
  for (const action of ["/account/logout", "/account/sign-out-everywhere"]) {
    const { browser, html } = await consoleSignIn(user.email);
    const stolen = browser.cookie("fs_account")!;
    const form = formsOf(html).find((f) => f.action === action)!;
    expect((await browser.go(action, { form: form.fields })).status).toBe(303);
    const thief = await fetch(`${base}/account`, { headers: { cookie: `fs_account=${stolen}` } });
    expect(await thief.text()).toContain("Sign in to see the apps");
  }
  // Everywhere meant everywhere: the app's tokens, and the API's sessions.
  await expect(oauth.refreshTokenGrant(user.config, user.refreshToken)).rejects.toMatchObject({ error: "invalid_grant" });
  const api = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
  const { refreshToken } = await api.login({ email: user.email, password: GOOD_PASSWORD });
  const { browser, html } = await consoleSignIn(user.email);
  await browser.go("/account/sign-out-everywhere", {
    form: formsOf(html).find((f) => f.action === "/account/sign-out-everywhere")!.fields,
  });
  await expect(api.refreshToken({ refreshToken })).rejects.toMatchObject({ rawMessage: expect.stringContaining("refresh token") });
});

test("bursts of concurrent wrong passwords on the console meet Login's lockout: ten are checked in all, the rest refused", async () => {
  const user = await createActiveUser(auth.internalUrl);
  const browser = new OidcBrowser(base);
  const [form] = formsOf(await (await browser.go("/account")).text());
  const attempt = (password: string) => browser.go(form!.action, { form: { ...form!.fields, email: user.email, password } });
  // Bursts until one gets no password checked: a burst past the four sign-ins admitted at once is
  // refused at the door (429), so the lockout's ten are reached over a few bursts.
  const checked: number[] = [];
  for (let burst = 0; burst < 6 && checked.at(-1) !== 0; burst++) {
    const statuses = (await Promise.all(Array.from({ length: 30 }, () => attempt("not the password")))).map((a) => a.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    checked.push(statuses.filter((s) => s === 401).length);
  }
  expect([checked.reduce((a, b) => a + b, 0), checked.at(-1)]).toEqual([10, 0]);
  expect((await attempt(GOOD_PASSWORD)).status).toBe(429);
});
