// `make dev`'s OAuth clients: a public single-page app (authorization code + PKCE, redirected to
// http://localhost:5173/callback) and a confidential service (client credentials). They are made
// through OAuthClientAdminService, as an operator makes them, the first time, and kept in
// .data/oauth-clients.json — the service's secret too: it is a development machine's.
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";

export interface DevOAuthClients {
  spa: { clientId: string; redirectUri: string };
  service: { clientId: string; clientSecret: string };
}

const SPA_REDIRECT = "http://localhost:5173/callback";

// `resource`: the resource server the service may ask tokens for (auth's own URL under make dev).
// `operatorCredential`: clients are an operator's to register.
export async function seedOAuthClients(
  internalUrl: string,
  operatorCredential: string,
  file: string,
  resource: string,
): Promise<DevOAuthClients> {
  const admin = createInternalClient(OAuthClientAdminService, internalUrl, operatorCredential);
  if (existsSync(file)) {
    const kept = JSON.parse(await readFile(file, "utf8")) as DevOAuthClients;
    // Kept while both exist as they are made here (a service made before clients named their
    // resource servers is made again).
    const present = await Promise.all(
      [kept.spa.clientId, kept.service.clientId].map((clientId) =>
        admin.getClient({ clientId }).then(
          ({ client }) => clientId !== kept.service.clientId || (client?.resources ?? []).includes(resource),
          () => false,
        ),
      ),
    );
    if (present.every(Boolean)) return kept;
  }
  const spa = await admin.createClient({
    name: "Dev single-page app",
    type: OAuthClientType.PUBLIC,
    grantTypes: [OAuthGrantType.AUTHORIZATION_CODE, OAuthGrantType.REFRESH_TOKEN],
    redirectUris: [SPA_REDIRECT],
    postLogoutRedirectUris: ["http://localhost:5173/"],
  });
  const service = await admin.createClient({
    name: "Dev service",
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes: [OAuthGrantType.CLIENT_CREDENTIALS],
    resources: [resource],
  });
  const clients: DevOAuthClients = {
    spa: { clientId: spa.client!.clientId, redirectUri: SPA_REDIRECT },
    service: { clientId: service.client!.clientId, clientSecret: service.clientSecret },
  };
  await writeFile(file, `${JSON.stringify(clients, null, 2)}\n`, { mode: 0o600 });
  return clients;
}
