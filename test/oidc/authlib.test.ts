import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { freePort } from "../../scripts/free-port";
import { GOOD_PASSWORD, OPERATOR_CREDENTIAL } from "../support/env";
import { createActiveUser } from "../support/users";
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

test("Authlib signs a user in with code + PKCE and verifies the RS256 ID token; userinfo answers", async () => {
  const admin = createInternalClient(OAuthClientAdminService, auth.internalUrl, OPERATOR_CREDENTIAL);
  const { client } = await admin.createClient({
    name: "Authlib RP",
    type: OAuthClientType.PUBLIC,
    grantTypes: [OAuthGrantType.AUTHORIZATION_CODE],
    redirectUris: [REDIRECT],
  });
  const user = await createActiveUser(auth.internalUrl);

  const script = path.join(__dirname, "python", "relying_party.py");
  const { stdout } = await promisify(execFile)(python(), [script, `${base}/oidc`, client!.clientId, REDIRECT, user.email, GOOD_PASSWORD]);
  const result = JSON.parse(stdout) as { id_token: Record<string, unknown>; alg: string; userinfo: Record<string, unknown> };
  expect(result.alg).toBe("RS256");
  expect(result.id_token).toMatchObject({ sub: user.id, iss: `${base}/oidc`, aud: client!.clientId });
  expect(result.userinfo).toMatchObject({ sub: user.id, email: user.email });
});
