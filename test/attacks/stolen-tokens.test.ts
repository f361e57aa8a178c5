import { sql } from "kysely";
import * as oauth from "openid-client";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { RunningAuthService } from "@flowshield/auth/server";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserStatus } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import { OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { registerClient, startProvider } from "../support/provider";
import { Code, outcomeOf } from "../support/codes";
import { codeIn } from "../support/mail-server";
import { discoverProvider, OidcBrowser, pkceAuthorization, signInOnPages } from "../support/oidc-browser";
import { useFullStack } from "../support/stack";
import { waitUntil } from "../support/wait";

// A thief holds a copy of everything a victim's apps and browser hold — an app's refresh and access
// tokens, the provider's session cookie, a first-party refresh token. The victim resets or changes
// the password, or the thief's copy is replayed: every copy must die, the provider's included. On
// the main of 2026-12-05 the app's refresh token still refreshed after a reset (200, new tokens),
// the provider stored every token, code and session id as it is, and nothing could disable an
// account or sign a user out everywhere.

jest.setTimeout(120_000);

const REDIRECT = "http://localhost:5173/callback";
const GRACE_MS = 500;
const stack = useFullStack();

let auth: RunningAuthService;
let base: string;
let app: { clientId: string; clientSecret: string };
beforeAll(async () => {
  ({ auth, base } = await startProvider({ taskQueue: stack().taskQueue, refreshReuseGraceMs: GRACE_MS }));
  app = await registerClient(auth, {
    name: "Victim's app",
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes: [OAuthGrantType.AUTHORIZATION_CODE, OAuthGrantType.REFRESH_TOKEN],
    redirectUris: [REDIRECT],
  });
});
afterAll(async () => {
  await auth?.close();
});

const api = () => createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));

// A registered user signed in everywhere: the app through the pages (its tokens, the browser's
// provider session) and the API (a first-party session).
async function signedInEverywhere() {
  const email = uniqueEmail();
  const { user } = await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Victim" });
  const config = await discoverProvider(`${base}/oidc`, app.clientId, app.clientSecret);
  const { url, verifier, state } = await pkceAuthorization(config, {
    redirect_uri: REDIRECT,
    scope: "openid email offline_access",
    prompt: "consent",
  });
  const browser = new OidcBrowser(base);
  const { location } = await signInOnPages(browser, url, { email, password: GOOD_PASSWORD }, REDIRECT);
  const appTokens = await oauth.authorizationCodeGrant(config, location!, { pkceCodeVerifier: verifier, expectedState: state });
  const firstParty = await api().login({ email, password: GOOD_PASSWORD });
  return { userId: user!.id, email, config, browser, appTokens, code: location!.searchParams.get("code")!, firstParty };
}

// A silent sign-in (prompt=none) with the browser's provider session: a code, or the error.
async function silentSignIn(config: oauth.Configuration, browser: OidcBrowser): Promise<URLSearchParams> {
  const { url } = await pkceAuthorization(config, { redirect_uri: REDIRECT, scope: "openid", prompt: "none" });
  const { location } = await browser.follow(await browser.go(url), REDIRECT);
  return location!.searchParams;
}

// Everything the thief copied is dead: the app's refresh and access tokens, the browser session,
// and (unless it asked) the first-party refresh token.
async function expectAllDead(victim: Awaited<ReturnType<typeof signedInEverywhere>>, firstPartyToo = true) {
  await expect(oauth.refreshTokenGrant(victim.config, victim.appTokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  expect(await oauth.tokenIntrospection(victim.config, victim.appTokens.access_token)).toMatchObject({ active: false });
  expect((await silentSignIn(victim.config, victim.browser)).get("error")).toBe("login_required");
  if (firstPartyToo) {
    expect(await outcomeOf(api().refreshToken({ refreshToken: victim.firstParty.refreshToken }))).toMatchObject({
      code: Code.Unauthenticated,
    });
  }
}

// The copies work before the change, so their death after it is the change's doing.
async function expectAllAlive(victim: Awaited<ReturnType<typeof signedInEverywhere>>) {
  expect(await oauth.tokenIntrospection(victim.config, victim.appTokens.access_token)).toMatchObject({ active: true });
  expect((await silentSignIn(victim.config, victim.browser)).get("code")).toEqual(expect.any(String));
}

test("a password reset ends the app's tokens and the provider's browser session, not only the API's sessions", async () => {
  const victim = await signedInEverywhere();
  await expectAllAlive(victim);
  await api().requestPasswordReset({ email: victim.email });
  const code = codeIn(await stack().mail.waitForMail(victim.email, /password reset code/));
  await api().resetPassword({ email: victim.email, code, newPassword: `new ${GOOD_PASSWORD}` });
  await expectAllDead(victim);
});

test("a password change ends every other session, the app's and the browser's included; the calling one goes on", async () => {
  const victim = await signedInEverywhere();
  await expectAllAlive(victim);
  const authorization = { headers: { authorization: `Bearer ${victim.firstParty.accessToken}` } };
  await api().changePassword({ currentPassword: GOOD_PASSWORD, newPassword: `changed ${GOOD_PASSWORD}` }, authorization);
  await expectAllDead(victim, false);
  expect(await outcomeOf(api().refreshToken({ refreshToken: victim.firstParty.refreshToken }))).toEqual({ code: "ok" });
});

test("the app's refresh token replayed after the grace ends the user's first-party sessions too", async () => {
  const victim = await signedInEverywhere();
  await oauth.refreshTokenGrant(victim.config, victim.appTokens.refresh_token!);
  await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 200));
  await expect(oauth.refreshTokenGrant(victim.config, victim.appTokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  const dead = async () =>
    (await outcomeOf(api().refreshToken({ refreshToken: victim.firstParty.refreshToken }))).code === Code.Unauthenticated;
  await waitUntil(dead, 5_000);
  expect(await dead()).toBe(true);
  expect((await silentSignIn(victim.config, victim.browser)).get("error")).toBe("login_required");
});

test("a dump of the provider's table holds no token, code or session id anyone could present", async () => {
  const victim = await signedInEverywhere();
  const session = victim.browser.cookie("_session");
  expect(session).toEqual(expect.any(String));
  const { rows } = await sql<{ id: string; payload: string }>`select id, payload::text as payload from oidc_payloads`.execute(auth.db);
  const dump = rows.map((r) => `${r.id} ${r.payload}`).join("\n");
  // The dump holds this user's rows (their session, grant and tokens), under hashes.
  expect(dump).toContain(victim.userId);
  for (const secret of [victim.appTokens.refresh_token!, victim.appTokens.access_token, victim.code, session!]) {
    expect(dump).not.toContain(secret);
  }
});

test("an operator disabling the account ends everything at once; enabled again, the user signs in anew", async () => {
  const victim = await signedInEverywhere();
  await expectAllAlive(victim);
  const { user } = await stack().userAdmin.disableUser({ id: victim.userId });
  expect(user?.status).toBe(UserStatus.DISABLED);
  await expectAllDead(victim);
  expect(await outcomeOf(api().login({ email: victim.email, password: GOOD_PASSWORD }))).toMatchObject({ code: Code.Unauthenticated });
  // Idempotent, and audited once.
  await stack().userAdmin.disableUser({ id: victim.userId });
  expect((await stack().userAdmin.listAuditEvents({ userId: victim.userId, type: "user_disabled" })).events).toHaveLength(1);

  expect((await stack().userAdmin.enableUser({ id: victim.userId })).user?.status).toBe(UserStatus.ACTIVE);
  expect(await outcomeOf(api().login({ email: victim.email, password: GOOD_PASSWORD }))).toEqual({ code: "ok" });
  // The old copies stay dead.
  await expect(oauth.refreshTokenGrant(victim.config, victim.appTokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
});

test("signing out everywhere ends the apps' access and the browser session too, this session included", async () => {
  const victim = await signedInEverywhere();
  await expectAllAlive(victim);
  await api().signOutEverywhere({}, { headers: { authorization: `Bearer ${victim.firstParty.accessToken}` } });
  await expectAllDead(victim);
  expect(await outcomeOf(api().listSessions({}, { headers: { authorization: `Bearer ${victim.firstParty.accessToken}` } }))).toMatchObject({
    code: Code.Unauthenticated,
  });
});

test("disabling or enabling a user that is not there is NOT_FOUND; a malformed id INVALID_ARGUMENT", async () => {
  expect(await outcomeOf(stack().userAdmin.disableUser({ id: "00000000-0000-4000-8000-000000000000" }))).toMatchObject({
    code: Code.NotFound,
  });
  expect(await outcomeOf(stack().userAdmin.enableUser({ id: "nope" }))).toMatchObject({ code: Code.InvalidArgument });
});

test("a user lists the apps they allowed and withdraws one: its tokens die, the user's other access stays", async () => {
  const victim = await signedInEverywhere();
  const authorization = { headers: { authorization: `Bearer ${victim.firstParty.accessToken}` } };
  const { grants } = await api().listAppGrants({}, authorization);
  expect(grants.map((g) => [g.clientId, g.clientName])).toEqual([[app.clientId, "Victim's app"]]);
  expect(grants[0]?.scopes).toEqual(expect.arrayContaining(["openid", "email", "offline_access"]));

  await api().revokeAppGrant({ clientId: app.clientId }, authorization);
  await expect(oauth.refreshTokenGrant(victim.config, victim.appTokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  expect(await oauth.tokenIntrospection(victim.config, victim.appTokens.access_token)).toMatchObject({ active: false });
  expect((await api().listAppGrants({}, authorization)).grants).toEqual([]);
  // The API session goes on; so does withdrawing again.
  expect(await outcomeOf(api().revokeAppGrant({ clientId: app.clientId }, authorization))).toEqual({ code: "ok" });
  expect((await stack().userAdmin.listAuditEvents({ userId: victim.userId, type: "app_grant_revoked" })).events).toHaveLength(2);
});

test("a stranger naming the victim's app withdraws only the stranger's own grant of it: the victim's app goes on", async () => {
  const victim = await signedInEverywhere();
  const stranger = await signedInEverywhere();
  const strangers = { headers: { authorization: `Bearer ${stranger.firstParty.accessToken}` } };
  await api().revokeAppGrant({ clientId: app.clientId }, strangers);
  // The stranger's own grant of that app is gone; the victim's refreshes still.
  await expect(oauth.refreshTokenGrant(stranger.config, stranger.appTokens.refresh_token!)).rejects.toMatchObject({
    error: "invalid_grant",
  });
  expect((await oauth.refreshTokenGrant(victim.config, victim.appTokens.refresh_token!)).access_token).toEqual(expect.any(String));
  expect(await outcomeOf(api().listAppGrants({}))).toMatchObject({ code: Code.Unauthenticated });
});
