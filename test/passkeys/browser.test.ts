import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { decodeJwt } from "jose";
import type { CDPSession, Page } from "playwright-core";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { FactorType } from "@flowshield/gen/flowshield/auth/v1/factor_pb";
import { useBrowserRelyingParty } from "../support/browser-relying-party";
import { Code, outcomeOf } from "../support/codes";
import { GOOD_PASSWORD } from "../support/env";
import { createActiveUser } from "../support/users";
import { discoverProvider, pkceAuthorization } from "../support/oidc-browser";
import * as oauth from "openid-client";

// Passkeys in Debian's Chromium with the DevTools WebAuthn domain's virtual authenticator (CTAP2,
// resident keys, user verification): registered on the account console, used to sign in without
// a password and as the second step after one, removed; and the ceremonies attacked — a
// registration made for another relying party, an assertion made on another origin, an
// assertion replayed. The provider is called "localhost": a relying party id must be a domain.
// Chromium's *.localhost names resolve to loopback too, and stand for another site.
// Screenshots go to test-results/passkeys/.

jest.setTimeout(120_000);

const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-results", "passkeys");
const rp = useBrowserRelyingParty("localhost");
beforeAll(() => mkdir(ARTIFACTS, { recursive: true }));

const api = () => createClient(AuthService, createConnectTransport({ baseUrl: rp().base, httpVersion: "1.1" }));
const bearer = (accessToken: string) => ({ headers: { authorization: `Bearer ${accessToken}` } });

// A page with a virtual platform authenticator that verifies its user and holds passkeys.
async function pageWithAuthenticator(): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  const page = await rp().browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { page, cdp, authenticatorId };
}

async function signInWithPassword(page: Page, email: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(GOOD_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("register a passkey on the account page, sign in with it alone, use it as the second step, and remove it", async () => {
  const user = await createActiveUser(rp().auth.internalUrl);
  const { page, cdp, authenticatorId } = await pageWithAuthenticator();
  const blocked: string[] = [];
  page.on("console", (m) => void (/Content.Security.Policy/i.test(m.text()) && blocked.push(m.text())));
  await page.goto(`${rp().base}/account`);
  // The sign-in page offers passkeys in the email field's autofill.
  await expect(page.getByLabel("Email").getAttribute("autocomplete")).resolves.toBe("username webauthn");
  await signInWithPassword(page, user.email);
  await page.getByLabel("A name for a new passkey (optional)").fill("Test laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.getByRole("button", { name: "Create the passkey" }).click();
  await page.getByText("Your passkey is added.").waitFor();
  await expect(page.locator(".recovery-codes code").count()).resolves.toBe(10);
  await page.getByText("Test laptop", { exact: true }).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "registered.png"), fullPage: true });
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]).toMatchObject({ rpId: "localhost", isResidentCredential: true });

  // Passwordless: signed out, the sign-in page asks for passkeys with conditional mediation, and
  // the virtual authenticator (user present, verified) answers at once — as a person picking the
  // passkey in the email field's autofill would.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.getByRole("heading", { name: "Apps you allowed" }).waitFor();

  // Password, then the passkey as the second step: the authenticator waits for a person now.
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: false });
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.screenshot({ path: path.join(ARTIFACTS, "sign-in.png") });
  await signInWithPassword(page, user.email);
  await page.getByRole("heading", { name: "Two-step sign-in" }).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "second-step.png") });
  await cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled: true });
  await page.getByRole("button", { name: "Use your passkey" }).click();
  await page.getByRole("heading", { name: "Apps you allowed" }).waitFor();

  // Fresh from that sign-in: removing needs no step-up.
  await page.getByRole("button", { name: "Remove Test laptop" }).click();
  await page.getByText("Removed.").waitFor();
  await page.getByText("Only your password protects your account.").waitFor();
  expect(blocked).toEqual([]);
  await page.close();
});

// The browser's answer (JSON) to WebAuthn options, from a page of `origin` (one without a
// content security policy: a JSON document), with the options' relying party id set to `rpId`.
async function ceremonyOn(page: Page, origin: string, kind: "create" | "get", optionsJson: string, rpId: string): Promise<string> {
  await page.goto(`${origin}/oidc/.well-known/openid-configuration`);
  const script = `(async () => {
    const options = ${optionsJson};
    ${kind === "create" ? `options.rp.id = ${JSON.stringify(rpId)};` : `options.rpId = ${JSON.stringify(rpId)};`}
    const credential = await navigator.credentials.${kind}({ publicKey: PublicKeyCredential.${kind === "create" ? "parseCreationOptionsFromJSON" : "parseRequestOptionsFromJSON"}(options) });
    return JSON.stringify(credential.toJSON());
  })()`;
  return page.evaluate(script) as Promise<string>;
}

// A passwordless challenge, and the browser's assertion for it made on a page of `origin`.
async function assertionOn(page: Page, origin: string) {
  const { challengeId, optionsJson } = await api().startPasskeyLogin({});
  return { challengeId, assertion: await ceremonyOn(page, origin, "get", optionsJson, "localhost") };
}

// A user with a passkey registered through the API from a page of the provider's origin.
async function userWithPasskey(page: Page) {
  const user = await createActiveUser(rp().auth.internalUrl);
  const tokens = await api().login({ email: user.email, password: GOOD_PASSWORD });
  const { optionsJson } = await api().startPasskeyRegistration({}, bearer(tokens.accessToken));
  const responseJson = await ceremonyOn(page, rp().base, "create", optionsJson, "localhost");
  const finished = await api().finishPasskeyRegistration({ responseJson, name: "API key" }, bearer(tokens.accessToken));
  return { user, tokens, factor: finished.factor! };
}

test("over the API: a passwordless sign-in says so in its tokens; a replayed assertion, one made on another origin and forged ones are refused, and lock no one out", async () => {
  const { page } = await pageWithAuthenticator();
  const { user, factor } = await userWithPasskey(page);
  expect(factor).toMatchObject({ type: FactorType.PASSKEY, name: "API key" });

  const { challengeId, assertion } = await assertionOn(page, rp().base);
  const done = await api().completeLogin({ challengeId, factor: { case: "webauthnAssertionJson", value: assertion } });
  expect(decodeJwt(done.accessToken)).toMatchObject({ sub: user.id, amr: ["hwk", "mfa"], acr: "aal2" });
  // The same assertion again: its challenge is spent; on a fresh challenge it signs the wrong one.
  expect(await outcomeOf(api().completeLogin({ challengeId, factor: { case: "webauthnAssertionJson", value: assertion } }))).toMatchObject({
    code: Code.FailedPrecondition,
  });
  const fresh = await api().startPasskeyLogin({});
  expect(
    await outcomeOf(api().completeLogin({ challengeId: fresh.challengeId, factor: { case: "webauthnAssertionJson", value: assertion } })),
  ).toMatchObject({
    code: Code.Unauthenticated,
  });

  // Phishing: a page of another origin on the same host (another application on another port,
  // which the browser lets ask for this relying party's passkeys) relays the user's assertion:
  // its origin, signed into the assertion, gives it away.
  const relayed = await assertionOn(page, `http://localhost:${new URL(rp().redirectUri).port}`);
  expect(
    await outcomeOf(
      api().completeLogin({ challengeId: relayed.challengeId, factor: { case: "webauthnAssertionJson", value: relayed.assertion } }),
    ),
  ).toMatchObject({ code: Code.Unauthenticated });
  // A stranger naming the user's credential (its id is no secret) in a dozen forged assertions, all
  // at once: each is refused, none locks the owner out — the next real sign-in works.
  const forged = JSON.parse(assertion) as { response: { signature: string } };
  forged.response.signature = Buffer.alloc(72, 7).toString("base64url");
  const forgeries = await Promise.all(
    Array.from({ length: 12 }, async () => {
      const { challengeId: id } = await api().startPasskeyLogin({});
      return outcomeOf(api().completeLogin({ challengeId: id, factor: { case: "webauthnAssertionJson", value: JSON.stringify(forged) } }));
    }),
  );
  expect(forgeries.map((o) => o.code)).toEqual(Array(12).fill(Code.Unauthenticated));
  const owner = await assertionOn(page, rp().base);
  await expect(
    api().completeLogin({ challengeId: owner.challengeId, factor: { case: "webauthnAssertionJson", value: owner.assertion } }),
  ).resolves.toHaveProperty("accessToken");

  // A step-up of that session with the passkey: a fresh access token for it.
  const { mfaChallenge } = await api().startStepUp({}, bearer(done.accessToken));
  expect(mfaChallenge?.factors).toEqual([FactorType.PASSKEY]);
  const stepAssertion = await ceremonyOn(page, rp().base, "get", mfaChallenge!.webauthnOptionsJson, "localhost");
  const stepped = await api().completeLogin({
    challengeId: mfaChallenge!.id,
    factor: { case: "webauthnAssertionJson", value: stepAssertion },
  });
  expect(decodeJwt(stepped.accessToken)).toMatchObject({ sid: decodeJwt(done.accessToken).sid, amr: ["hwk", "mfa"] });

  const { factors } = await api().listFactors({}, bearer(done.accessToken));
  expect(factors.map((f) => f.lastUseTime !== undefined)).toEqual([true]);
  await page.close();
});

test("a registration made for another relying party is refused, and registers nothing", async () => {
  const { page } = await pageWithAuthenticator();
  const user = await createActiveUser(rp().auth.internalUrl);
  const tokens = await api().login({ email: user.email, password: GOOD_PASSWORD });
  const { optionsJson } = await api().startPasskeyRegistration({}, bearer(tokens.accessToken));
  const port = new URL(rp().base).port;
  const responseJson = await ceremonyOn(page, `http://evil.localhost:${port}`, "create", optionsJson, "evil.localhost");
  expect(await outcomeOf(api().finishPasskeyRegistration({ responseJson, name: "" }, bearer(tokens.accessToken)))).toMatchObject({
    code: Code.InvalidArgument,
    message: "response_json: does not verify for this site and this registration",
  });
  expect((await api().listFactors({}, bearer(tokens.accessToken))).factors).toEqual([]);
  // Not JSON at all is the caller's error too.
  expect(await outcomeOf(api().finishPasskeyRegistration({ responseJson: "{", name: "" }, bearer(tokens.accessToken)))).toMatchObject({
    code: Code.InvalidArgument,
  });
  await page.close();
});

test("an app's sign-in page: the passkey signs in without a password, and the ID token says hwk+mfa (aal2)", async () => {
  const { page } = await pageWithAuthenticator();
  const { user } = await userWithPasskey(page);
  const config = await discoverProvider(`${rp().base}/oidc`, rp().clientId);
  const { url, verifier, state } = await pkceAuthorization(config, { redirect_uri: rp().redirectUri, scope: "openid", acr_values: "aal2" });
  await page.goto(url.href);
  // The login page's conditional request is answered by the authenticator: straight to consent.
  await page.getByRole("button", { name: "Allow" }).click();
  await page.waitForURL((u) => u.href.startsWith(rp().redirectUri));
  const tokens = await oauth.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
  expect(tokens.claims()).toMatchObject({ sub: user.id, amr: ["hwk", "mfa"], acr: "aal2" });
  await page.close();
});
