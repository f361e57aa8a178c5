import * as oauth from "openid-client";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { freePort } from "../../scripts/free-port";
import { GOOD_PASSWORD, OPERATOR_CREDENTIAL } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { createActiveUser } from "../support/users";
import { discoverProvider, OidcBrowser, pkceAuthorization, signInOnPages } from "../support/oidc-browser";
import { quietLog, testAuthConfig } from "../support/stack";

// Another client of the same provider, registered honestly, turned against its neighbours: it
// introspects an app's user token, and asks for tokens to resource servers it has no business
// with. On the main of 2026-12-05 any confidential client's introspection answered another
// client's user token `active: true` with its `sub` and scope, and any client-credentials client
// got a token for every resource server.

jest.setTimeout(60_000);

const REDIRECT = "http://localhost:5173/callback";
const BILLING = "https://billing.flowshield.test";
const PAYROLL = "https://payroll.flowshield.test";
let auth: RunningAuthService;
let base: string;
const admin = () => createInternalClient(OAuthClientAdminService, auth.internalUrl, OPERATOR_CREDENTIAL);

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  auth = await startAuthService(testAuthConfig({ publicPort: port, publicUrl: base, oidcResourceServers: [BILLING, PAYROLL] }), quietLog);
});
afterAll(async () => {
  await auth?.close();
});

async function confidentialClient(grantTypes: OAuthGrantType[], resources: string[] = []) {
  const codeFlow = grantTypes.includes(OAuthGrantType.AUTHORIZATION_CODE);
  const created = await admin().createClient({
    name: "A client",
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes,
    redirectUris: codeFlow ? [REDIRECT] : [],
    resources,
  });
  return discoverProvider(`${base}/oidc`, created.client!.clientId, created.clientSecret);
}

test("a client's introspection of another client's user token answers inactive, and says nothing of it", async () => {
  const app = await confidentialClient([OAuthGrantType.AUTHORIZATION_CODE]);
  const user = await createActiveUser(auth.internalUrl);
  const { url, verifier, state } = await pkceAuthorization(app, { redirect_uri: REDIRECT, scope: "openid email", prompt: "consent" });
  const { location } = await signInOnPages(new OidcBrowser(base), url, { email: user.email, password: GOOD_PASSWORD }, REDIRECT);
  const tokens = await oauth.authorizationCodeGrant(app, location!, { pkceCodeVerifier: verifier, expectedState: state });
  // Its own client sees it active...
  expect(await oauth.tokenIntrospection(app, tokens.access_token)).toMatchObject({ active: true, sub: user.id });
  // ...a stranger client sees nothing at all.
  const stranger = await confidentialClient([OAuthGrantType.CLIENT_CREDENTIALS], [BILLING]);
  const answer = await oauth.tokenIntrospection(stranger, tokens.access_token);
  expect(answer).toEqual({ active: false });
});

test("a client gets tokens only for the resource servers it was registered for", async () => {
  const billingOnly = await confidentialClient([OAuthGrantType.CLIENT_CREDENTIALS], [BILLING]);
  expect((await oauth.clientCredentialsGrant(billingOnly, { resource: BILLING })).access_token).toEqual(expect.any(String));
  await expect(oauth.clientCredentialsGrant(billingOnly, { resource: PAYROLL })).rejects.toMatchObject({ error: "invalid_target" });
  const none = await confidentialClient([OAuthGrantType.CLIENT_CREDENTIALS]);
  await expect(oauth.clientCredentialsGrant(none, { resource: BILLING })).rejects.toMatchObject({ error: "invalid_target" });
});

test("a client cannot be registered for a resource server the provider does not have", async () => {
  expect(
    await outcomeOf(
      admin().createClient({
        name: "Greedy",
        type: OAuthClientType.CONFIDENTIAL,
        grantTypes: [OAuthGrantType.CLIENT_CREDENTIALS],
        resources: ["https://elsewhere.example"],
      }),
    ),
  ).toMatchObject({ code: Code.InvalidArgument, message: expect.stringMatching(/^resources: /) });
});
