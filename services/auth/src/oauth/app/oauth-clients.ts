import { NotFoundError } from "@flowshield/common/contract/errors";
import { checkUuid } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import { checkNewOAuthClient, type NewOAuthClient, type OAuthClient } from "../domain/oauth-client";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { pageOf, pageQuery, type PageRequest } from "../../kernel/app/keyset-page";

// OAuthClientAdminService's use cases: operators register the OpenID provider's clients.

type Deps = Pick<AuthDeps, "oauthClients">;
// The provider's resource servers (OIDC_RESOURCE_SERVERS), which a client may be allowed.
type CreateDeps = Deps & { resourceServers: string[] };
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

export async function createOAuthClient(
  deps: CreateDeps,
  client: NewOAuthClient,
  caller: Caller,
): Promise<{ client: OAuthClient; clientSecret?: string }> {
  return deps.oauthClients.create(checkNewOAuthClient(client, deps.resourceServers), caller, ({ clientId, name }) => [
    { type: "oauth_client_created", detail: { client_id: clientId, name } },
  ]);
}

export async function getOAuthClient(deps: Deps, req: { clientId: string }): Promise<OAuthClient> {
  const client = await deps.oauthClients.find(checkUuid(req.clientId, "client_id"));
  if (client === undefined) throw new NotFoundError("client");
  return client;
}

export async function deleteOAuthClient(deps: Deps, req: { clientId: string }, caller: Caller): Promise<void> {
  const clientId = checkUuid(req.clientId, "client_id");
  await deps.oauthClients.delete(clientId, caller, [{ type: "oauth_client_deleted", detail: { client_id: clientId } }]);
}

export async function listOAuthClients(deps: Deps, req: PageRequest): Promise<{ clients: OAuthClient[]; nextPageToken: string }> {
  const { limit, after } = pageQuery(req, { default: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE });
  const clients = await deps.oauthClients.list({ ...(after !== undefined ? { after } : {}), limit });
  const page = pageOf(clients, limit, (c) => ({ time: c.createTime, id: c.clientId }));
  return { clients: page.items, nextPageToken: page.nextPageToken };
}
