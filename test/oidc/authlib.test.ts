import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { freePort } from "../../scripts/free-port";
import { GOOD_PASSWORD, OPERATOR_CREDENTIAL } from "../support/env";
import { createActiveUser } from "../support/users";
import { enrolTotp } from "../support/second-factor";
import { quietLog, testAuthConfig } from "../support/stack";

// A second relying party, in another language and library: Python's Authlib (test/oidc/python/),
// through the code flow with PKCE and the hosted pages, its ID token verified with Authlib's JOSE.

jest.setTimeout(60_000);

const REDIRECT = "http://localhost:5173/callback";
let auth: RunningAuthService;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  auth = await startAuthService(testAuthConfig({ publicPort: port, publicUrl: base }), quietLog);
});
afterAll(async () => {
  await auth?.close();
});

function python(): string {
  const venv = process.env.PYTHON_RP;
  if (venv === undefined) throw new Error("PYTHON_RP is not set: run the tests with `make test`, which installs Authlib into .tools/");
  return path.join(venv, "bin", "python");
}

async function authlibClient(): Promise<string> {
  const admin = createInternalClient(OAuthClientAdminService, auth.internalUrl, OPERATOR_CREDENTIAL);
  const { client } = await admin.createClient({
    name: "Authlib RP",
    type: OAuthClientType.PUBLIC,
    grantTypes: [OAuthGrantType.AUTHORIZATION_CODE],
    redirectUris: [REDIRECT],
  });
  return client!.clientId;
}

// The relying party's run: the ID token's claims, its algorithm, and userinfo's answer.
async function relyingParty(clientId: string, email: string, ...twoStep: string[]) {
  const script = path.join(__dirname, "python", "relying_party.py");
  const { stdout } = await promisify(execFile)(python(), [script, `${base}/oidc`, clientId, REDIRECT, email, GOOD_PASSWORD, ...twoStep]);
  return JSON.parse(stdout) as { id_token: Record<string, unknown>; alg: string; userinfo: Record<string, unknown> };
}

test("Authlib signs a user in with code + PKCE and verifies the RS256 ID token; userinfo answers", async () => {
  const clientId = await authlibClient();
  const user = await createActiveUser(auth.internalUrl);
  const result = await relyingParty(clientId, user.email);
  expect(result.alg).toBe("RS256");
  expect(result.id_token).toMatchObject({ sub: user.id, iss: `${base}/oidc`, aud: clientId, amr: ["pwd"], acr: "aal1" });
  expect(result.userinfo).toMatchObject({ sub: user.id, email: user.email });
});

test("with acr_values=aal2 and an authenticator app, Authlib answers the two-step page and its ID token says so", async () => {
  const clientId = await authlibClient();
  const user = await createActiveUser(auth.internalUrl);
  const { started } = await enrolTotp(auth, user.email);
  const result = await relyingParty(clientId, user.email, started.secret, "aal2");
  expect(result.id_token).toMatchObject({ sub: user.id, amr: ["pwd", "otp", "mfa"], acr: "aal2" });
});
