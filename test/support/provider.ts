import type { MessageInitShape } from "@bufbuild/protobuf";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import type { AuthConfig } from "@flowshield/auth/config";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, type CreateClientRequestSchema } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { freePort } from "../../scripts/free-port";
import { OPERATOR_CREDENTIAL } from "./env";
import { quietLog, testAuthConfig } from "./stack";

// The auth service with its OpenID provider at a known address — the issuer is the URL clients
// call, so the port is chosen before the service starts — for the tests that speak OAuth to it.
export async function startProvider(
  overrides: Partial<AuthConfig> = {},
  host = "127.0.0.1",
): Promise<{ auth: RunningAuthService; base: string }> {
  const port = await freePort();
  const base = `http://${host}:${port}`;
  const auth = await startAuthService(testAuthConfig({ publicPort: port, publicUrl: base, ...overrides }), quietLog);
  return { auth, base };
}

// A client registered as an operator registers one; its secret, when confidential.
export async function registerClient(
  auth: { internalUrl: string },
  client: MessageInitShape<typeof CreateClientRequestSchema>,
): Promise<{ clientId: string; clientSecret: string }> {
  const created = await createInternalClient(OAuthClientAdminService, auth.internalUrl, OPERATOR_CREDENTIAL).createClient(client);
  return { clientId: created.client!.clientId, clientSecret: created.clientSecret };
}
