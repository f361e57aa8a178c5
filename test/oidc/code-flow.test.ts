import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as oauth from "openid-client";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import type { RunningProfileService } from "@flowshield/profile/server";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { freePort } from "../../scripts/free-port";
import { GOOD_PASSWORD, OPERATOR_CREDENTIAL, SERVICE_CREDENTIAL, uniqueUsername } from "../support/env";
import { createActiveUser } from "../support/users";
import { discoverProvider, formsOf, OidcBrowser, pkceAuthorization, signInOnPages } from "../support/oidc-browser";
import { quietLog, startTestProfile, testAuthConfig } from "../support/stack";

// The authorization code flow end to end over HTTP: openid-client v6 as the relying party, the
// hosted login and consent pages submitted as a browser would, then the tokens, userinfo,
// introspection, refresh rotation and its races, revocation — and every refusal with its OAuth error.

jest.setTimeout(90_000);

const REDIRECT = "http://localhost:5173/callback";
const GRACE_MS = 1_000;
let auth: RunningAuthService;
let profile: RunningProfileService | undefined;
let base: string;
let spa: string;
let server: { clientId: string; clientSecret: string };

// A user with a profile (while the profile service runs), made as the registration saga makes them.
async function newUser(): Promise<{ id: string; email: string; username: string }> {
  const username = uniqueUsername();
  const user = await createActiveUser(auth.internalUrl, async ({ id }) => {
    if (profile === undefined) return;
    const profiles = createInternalClient(ProfileAdminService, profile.internalUrl, SERVICE_CREDENTIAL);
    await profiles.createProfile({ userId: id, username, displayName: "Grace Hopper" });
  });
  return { ...user, username };
}

beforeAll(async () => {
  const [port, profilePort] = [await freePort(), await freePort()];
  base = `http://127.0.0.1:${port}`;
  // Concurrent uses of a refresh token within the grace are losers, later ones replays.
  auth = await startAuthService(
    testAuthConfig({ publicPort: port, publicUrl: base, refreshReuseGraceMs: GRACE_MS, profileUrl: `http://127.0.0.1:${profilePort}` }),
    quietLog,
  );
  profile = await startTestProfile(auth.publicUrl, { publicPort: profilePort });
  const admin = createInternalClient(OAuthClientAdminService, auth.internalUrl, OPERATOR_CREDENTIAL);
  const grants = [OAuthGrantType.AUTHORIZATION_CODE, OAuthGrantType.REFRESH_TOKEN];
  spa = (
    await admin.createClient({
      name: "Test SPA",
      type: OAuthClientType.PUBLIC,
      grantTypes: grants,
      redirectUris: [REDIRECT],
      resources: ["https://api.flowshield.test"],
    })
  ).client!.clientId;
  const created = await admin.createClient({
    name: "Test server",
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes: grants,
    redirectUris: [REDIRECT],
  });
  server = { clientId: created.client!.clientId, clientSecret: created.clientSecret };
});
afterAll(async () => {
  await profile?.close();
  await auth?.close();
});

const discover = (clientId: string, secret?: string) => discoverProvider(`${base}/oidc`, clientId, secret);

// Signs in and consents on the pages; where the provider sent the browser back to.
const signIn = (browser: OidcBrowser, url: URL, credentials: { email: string; password: string }) =>
  signInOnPages(browser, url, credentials, REDIRECT);

const authorizationUrl = (config: oauth.Configuration, extra: Record<string, string> = {}) =>
  pkceAuthorization(config, { redirect_uri: REDIRECT, scope: "openid email profile offline_access", prompt: "consent", ...extra });

async function codeFlow(clientId: string, secret?: string, who?: Awaited<ReturnType<typeof newUser>>) {
  const user = who ?? (await newUser());
  const config = await discover(clientId, secret);
  const { url, verifier, state } = await authorizationUrl(config);
  const browser = new OidcBrowser(base);
  const { location } = await signIn(browser, url, { email: user.email, password: GOOD_PASSWORD });
  expect(location?.searchParams.get("code")).toEqual(expect.any(String));
  const tokens = await oauth.authorizationCodeGrant(config, location!, { pkceCodeVerifier: verifier, expectedState: state });
  return { user, config, tokens, browser, location: location! };
}

describe("authorization code with PKCE", () => {
  test("a public client signs a user in through the pages and gets an RS256 ID token, userinfo and a refresh token", async () => {
    const { user, config, tokens } = await codeFlow(spa);
    expect(decodeProtectedHeader(tokens.id_token!)).toMatchObject({ alg: "RS256" });
    const { payload } = await jwtVerify(tokens.id_token!, createRemoteJWKSet(new URL(`${base}/oidc/jwks`)), {
      issuer: `${base}/oidc`,
      audience: spa,
    });
    // The scopes' claims come from userinfo (the ID token carries them only without an access token).
    expect(payload.sub).toBe(user.id);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(await oauth.fetchUserInfo(config, tokens.access_token, user.id)).toEqual({
      sub: user.id,
      email: user.email,
      email_verified: false,
      preferred_username: user.username,
      name: "Grace Hopper",
    });
  });

  test("with the profile service down, userinfo answers auth's own claims instead of failing", async () => {
    const user = await newUser();
    await profile?.close();
    profile = undefined;
    const { config, tokens } = await codeFlow(spa, undefined, user);
    expect(await oauth.fetchUserInfo(config, tokens.access_token, user.id)).toEqual({
      sub: user.id,
      email: user.email,
      email_verified: false,
    });
  });

  test("asked for a resource server, the access token is a JWT for it, verified against the JWKS", async () => {
    const user = await newUser();
    const config = await discover(spa);
    const { url, verifier, state } = await authorizationUrl(config, { resource: "https://api.flowshield.test" });
    const { location } = await signIn(new OidcBrowser(base), url, { email: user.email, password: GOOD_PASSWORD });
    const tokens = await oauth.authorizationCodeGrant(
      config,
      location!,
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: "https://api.flowshield.test" },
    );
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${base}/oidc/jwks`)), {
      issuer: `${base}/oidc`,
      audience: "https://api.flowshield.test",
      typ: "at+jwt",
    });
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(payload).toMatchObject({ sub: user.id, client_id: spa });
  });

  test("a confidential client too, and introspection tells its access token active", async () => {
    const { user, config, tokens } = await codeFlow(server.clientId, server.clientSecret);
    expect(await oauth.tokenIntrospection(config, tokens.access_token)).toMatchObject({
      active: true,
      sub: user.id,
      client_id: server.clientId,
    });
  });

  test("refresh rotates; a rotated token reused after the grace is invalid_grant and revokes the grant, so the successor dies too", async () => {
    const { config, tokens } = await codeFlow(spa);
    const next = await oauth.refreshTokenGrant(config, tokens.refresh_token!);
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    // Within the grace: refused, and nothing else happens.
    await expect(oauth.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 100));
    await expect(oauth.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(oauth.refreshTokenGrant(config, next.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  test("20 concurrent refreshes of one token: exactly one 200, and the winner's token goes on working", async () => {
    const { config, tokens } = await codeFlow(spa);
    const refresh = (token: string) =>
      fetch(`${base}/oidc/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: token, client_id: spa }).toString(),
      });
    const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(tokens.refresh_token!)));
    const ok = answers.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const r of answers.filter((a) => a.status !== 200)) expect(await r.json()).toMatchObject({ error: "invalid_grant" });
    const winner = (await ok[0]!.json()) as { refresh_token: string };
    expect((await oauth.refreshTokenGrant(config, winner.refresh_token)).access_token).toEqual(expect.any(String));
  });

  test("a revoked refresh token no longer refreshes", async () => {
    const { config, tokens } = await codeFlow(spa);
    await oauth.tokenRevocation(config, tokens.refresh_token!);
    await expect(oauth.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  test("another client cannot revoke a client's token, and a public client cannot introspect another's", async () => {
    const { config, tokens } = await codeFlow(spa);
    const other = await discover(server.clientId, server.clientSecret);
    await oauth.tokenRevocation(other, tokens.refresh_token!).catch(() => undefined);
    expect((await oauth.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toEqual(expect.any(String));
    const theirs = await codeFlow(server.clientId, server.clientSecret);
    expect(await oauth.tokenIntrospection(config, theirs.tokens.access_token)).toEqual({ active: false });
    expect(await oauth.tokenIntrospection(theirs.config, theirs.tokens.access_token)).toMatchObject({ active: true });
  });

  test("an authorization code is single use: the second exchange is invalid_grant", async () => {
    const user = await newUser();
    const config = await discover(spa);
    const { url, verifier, state } = await authorizationUrl(config);
    const { location } = await signIn(new OidcBrowser(base), url, { email: user.email, password: GOOD_PASSWORD });
    await oauth.authorizationCodeGrant(config, location!, { pkceCodeVerifier: verifier, expectedState: state });
    await expect(
      oauth.authorizationCodeGrant(config, location!, { pkceCodeVerifier: verifier, expectedState: state }),
    ).rejects.toMatchObject({
      error: "invalid_grant",
    });
  });

  test("consent is remembered: the next authorization of the same client and scopes skips both pages", async () => {
    const { browser, config } = await codeFlow(spa);
    const again = await authorizationUrl(config, { prompt: "" });
    const step = await browser.follow(await browser.go(again.url), REDIRECT);
    expect(step.location?.searchParams.get("code")).toEqual(expect.any(String));
  });
});

describe("audit", () => {
  test("consent, every token issued, a replayed refresh token and a revocation are in the audit trail, with no token in it", async () => {
    const { user, config, tokens } = await codeFlow(spa);
    const next = await oauth.refreshTokenGrant(config, tokens.refresh_token!);
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS + 100));
    await oauth.refreshTokenGrant(config, tokens.refresh_token!).catch(() => undefined);
    const second = await codeFlow(spa);
    await oauth.tokenRevocation(second.config, second.tokens.refresh_token!);

    const users = createInternalClient(UserAdminService, auth.internalUrl, OPERATOR_CREDENTIAL);
    const events = (await users.listAuditEvents({ userId: user.id, pageSize: 50 })).events.reverse();
    const detail = (e: { detail: string }) => JSON.parse(e.detail) as Record<string, string>;
    expect(events.map((e) => [e.type, detail(e).grant_type ?? ""])).toEqual([
      ["registered", ""],
      ["login_succeeded", ""],
      ["oidc_consent_granted", ""],
      ["oidc_token_issued", "authorization_code"],
      ["oidc_token_issued", "refresh_token"],
      ["oidc_refresh_reused", ""],
    ]);
    const signedIn = events.slice(1);
    expect(signedIn.map((e) => detail(e).client_id)).toEqual(signedIn.map(() => spa));
    const revoked = await users.listAuditEvents({ type: "oidc_token_revoked", pageSize: 5 });
    expect(detail(revoked.events[0]!).client_id).toBe(spa);
    const everything = [...events, ...revoked.events].map((e) => `${e.detail} ${e.userAgent} ${e.ip}`).join("\n");
    for (const secret of [tokens.access_token, tokens.refresh_token!, next.refresh_token!, tokens.id_token!])
      expect(everything).not.toContain(secret);
  });
});

describe("refusals", () => {
  const raw = (params: Record<string, string>) =>
    fetch(
      `${base}/oidc/auth?${new URLSearchParams({ response_type: "code", scope: "openid", redirect_uri: REDIRECT, state: "s", ...params })}`,
      {
        redirect: "manual",
      },
    );
  const errorOf = (res: Response) => new URL(res.headers.get("location") ?? "http://x/").searchParams.get("error");

  test("no PKCE, or PKCE with plain, is invalid_request, sent back to the client", async () => {
    expect(errorOf(await raw({ client_id: spa }))).toBe("invalid_request");
    expect(errorOf(await raw({ client_id: server.clientId }))).toBe("invalid_request");
    expect(errorOf(await raw({ client_id: spa, code_challenge: "x".repeat(43), code_challenge_method: "plain" }))).toBe("invalid_request");
  });

  test("a redirect URI the client did not register is refused on the provider's page, never redirected to", async () => {
    const res = await raw({
      client_id: spa,
      redirect_uri: "http://localhost:6666/steal",
      code_challenge: "x".repeat(43),
      code_challenge_method: "S256",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("redirect_uri did not match any of the client&#39;s registered redirect_uris");
  });

  test("a wrong client secret at the token endpoint is invalid_client", async () => {
    const config = await discover(server.clientId, "wrong-secret");
    await expect(oauth.refreshTokenGrant(config, "anything")).rejects.toMatchObject({ status: 401 });
  });

  test("the login page says a wrong password, and locks the account after ten", async () => {
    const user = await newUser();
    const config = await discover(spa);
    const browser = new OidcBrowser(base);
    const { url } = await authorizationUrl(config);
    const first = await signIn(browser, url, { email: user.email, password: "not the password" });
    expect(first.page?.status).toBe(401);
    expect(first.page?.html).toContain("Wrong email or password.");
    let last = first;
    for (let i = 0; i < 10; i++)
      last = await signIn(new OidcBrowser(base), (await authorizationUrl(config)).url, { email: user.email, password: "still wrong" });
    expect(last.page?.status).toBe(429);
    const right = await signIn(new OidcBrowser(base), (await authorizationUrl(config)).url, { email: user.email, password: GOOD_PASSWORD });
    expect(right.page?.status).toBe(429);
  });

  test("a form without its CSRF token is refused", async () => {
    const config = await discover(spa);
    const browser = new OidcBrowser(base);
    const { url } = await authorizationUrl(config);
    const step = await browser.follow(await browser.go(url), REDIRECT);
    const [form] = formsOf(await step.res.text());
    const res = await browser.go(form!.action, { form: { email: "a@example.com", password: GOOD_PASSWORD } });
    expect(res.status).toBe(403);
  });
});

describe("logout", () => {
  test("the logout page ends the provider's session: the next authorization asks to sign in again", async () => {
    const { browser, config, tokens } = await codeFlow(spa);
    const end = oauth.buildEndSessionUrl(config, { id_token_hint: tokens.id_token! });
    const page = await browser.go(end);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('form="op.logoutForm"');
    const [logout] = formsOf(html);
    const done = await browser.follow(await browser.go(logout!.action, { form: { ...logout!.fields, logout: "yes" } }), REDIRECT);
    expect(done.res.status).toBe(200);
    expect(await done.res.text()).toContain("You are signed out");
    const again = await authorizationUrl(config, { prompt: "" });
    const step = await browser.follow(await browser.go(again.url), REDIRECT);
    expect(step.location).toBeUndefined();
    expect(await step.res.text()).toContain('name="password"');
  });
});
