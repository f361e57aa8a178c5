import { NotFoundError, ValidationError } from "@flowshield/common/errors";
import { checkUuid } from "@flowshield/common/validation";
import { checkNewOAuthClient, type NewOAuthClient, type OAuthClient } from "../domain/oauth-client";
import type { AuthDeps } from "./dependencies";

// OAuthClientAdminService's use cases: operators register the OpenID provider's clients.

type Deps = Pick<AuthDeps, "oauthClients">;
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

export async function createOAuthClient(deps: Deps, client: NewOAuthClient): Promise<{ client: OAuthClient; clientSecret?: string }> {
  return deps.oauthClients.create(checkNewOAuthClient(client));
}

export async function getOAuthClient(deps: Deps, req: { clientId: string }): Promise<OAuthClient> {
  const client = await deps.oauthClients.find(checkUuid(req.clientId, "client_id"));
  if (client === undefined) throw new NotFoundError("client");
  return client;
}

export async function deleteOAuthClient(deps: Deps, req: { clientId: string }): Promise<void> {
  await deps.oauthClients.delete(checkUuid(req.clientId, "client_id"));
}

export async function listOAuthClients(
  deps: Deps,
  req: { pageSize: number; pageToken: string },
): Promise<{ clients: OAuthClient[]; nextPageToken: string }> {
  if (req.pageSize < 0) throw new ValidationError("page_size", "must not be negative");
  const limit = Math.min(req.pageSize === 0 ? DEFAULT_PAGE_SIZE : req.pageSize, MAX_PAGE_SIZE);
  const after = req.pageToken === "" ? undefined : parsePageToken(req.pageToken);
  const clients = await deps.oauthClients.list({ ...(after !== undefined ? { after } : {}), limit: limit + 1 });
  const page = clients.slice(0, limit);
  const last = page[page.length - 1];
  const nextPageToken =
    clients.length > limit && last !== undefined
      ? Buffer.from(`${last.createTime.toISOString()}|${last.clientId}`).toString("base64url")
      : "";
  return { clients: page, nextPageToken };
}

function parsePageToken(token: string): { createTime: Date; clientId: string } {
  const [time = "", clientId = ""] = Buffer.from(token, "base64url").toString("utf8").split("|");
  const createTime = new Date(time);
  if (Number.isNaN(createTime.getTime()) || !/^[0-9a-f-]{36}$/.test(clientId))
    throw new ValidationError("page_token", "is not a token this service gave");
  return { createTime, clientId };
}
