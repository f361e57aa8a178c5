import { ValidationError } from "@flowshield/common/contract/validation";

// The OpenID provider's OAuth clients, as operators register them (OAuthClientAdminService).

export type OAuthClientType = "public" | "confidential";
export type OAuthGrantType = "authorization_code" | "refresh_token" | "client_credentials";

export interface NewOAuthClient {
  name: string;
  type: OAuthClientType;
  grantTypes: OAuthGrantType[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  // The resource servers it may ask access tokens for (least privilege: none unless named).
  resources: string[];
}

export interface OAuthClient extends NewOAuthClient {
  clientId: string;
  createTime: Date;
}

// An application a user allowed to act for them: the OpenID provider's grant, as the user sees it.
export interface AppGrant {
  clientId: string;
  clientName: string;
  scopes: string[];
  createTime: Date;
}

const NAME_MAX = 100;
const URIS_MAX = 20;

// The rules a client must meet before it is stored; a field at fault is named in the error.
// `resourceServers`: the provider's; a client may be allowed some of them.
export function checkNewOAuthClient(client: NewOAuthClient, resourceServers: string[]): NewOAuthClient {
  const name = client.name.trim();
  if (name === "") throw new ValidationError("name", "is required");
  if ([...name].length > NAME_MAX) throw new ValidationError("name", `must be at most ${NAME_MAX} characters`);
  if (client.grantTypes.length === 0) throw new ValidationError("grant_types", "must name at least one grant type");
  const grantTypes = [...new Set(client.grantTypes)];
  if (client.type === "public" && grantTypes.includes("client_credentials"))
    throw new ValidationError("grant_types", "client_credentials needs a confidential client");
  if (grantTypes.includes("refresh_token") && !grantTypes.includes("authorization_code"))
    throw new ValidationError("grant_types", "refresh_token comes with authorization_code");
  const codeFlow = grantTypes.includes("authorization_code");
  if (codeFlow && client.redirectUris.length === 0) throw new ValidationError("redirect_uris", "the authorization code flow needs one");
  if (!codeFlow && client.redirectUris.length > 0) throw new ValidationError("redirect_uris", "are only for the authorization code flow");
  return {
    name,
    type: client.type,
    grantTypes,
    redirectUris: checkUris(client.redirectUris, "redirect_uris"),
    postLogoutRedirectUris: checkUris(client.postLogoutRedirectUris, "post_logout_redirect_uris"),
    resources: checkResources(client.resources, resourceServers),
  };
}

function checkResources(resources: string[], resourceServers: string[]): string[] {
  for (const resource of resources) {
    if (!resourceServers.includes(resource))
      throw new ValidationError("resources", `"${resource.slice(0, 100)}" is not one of the provider's resource servers`);
  }
  return [...new Set(resources)];
}

// Absolute https URIs without a fragment; http only for a loopback host (a developer's machine).
function checkUris(uris: string[], field: string): string[] {
  if (uris.length > URIS_MAX) throw new ValidationError(field, `must be at most ${URIS_MAX}`);
  return uris.map((raw) => {
    let uri: URL;
    try {
      uri = new URL(raw);
    } catch {
      throw new ValidationError(field, `"${raw.slice(0, 100)}" is not an absolute URI`);
    }
    const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(uri.hostname);
    if (uri.protocol !== "https:" && !(uri.protocol === "http:" && loopback))
      throw new ValidationError(field, `"${raw.slice(0, 100)}" must be https (http only for localhost)`);
    if (uri.hash !== "" || raw.includes("#")) throw new ValidationError(field, `"${raw.slice(0, 100)}" must not have a fragment`);
    return raw;
  });
}
