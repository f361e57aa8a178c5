import type { ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { translatingErrors } from "@flowshield/common/contract/error-catalogue";
import { ValidationError } from "@flowshield/common/contract/errors";
import {
  OAuthClientAdminService,
  OAuthClientType,
  OAuthGrantType,
  type OAuthClient as OAuthClientProto,
} from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import type { AuthApplication } from "../../kernel/app/application";
import { callerOf, NO_PROXIES } from "../../kernel/ports/caller";
import type { OAuthClient, OAuthClientType as ClientType, OAuthGrantType as GrantType } from "../domain/oauth-client";

// OAuthClientAdminService on the internal listener: operators register the provider's clients.

const TYPES: Record<ClientType, OAuthClientType> = { public: OAuthClientType.PUBLIC, confidential: OAuthClientType.CONFIDENTIAL };
const GRANTS: Record<GrantType, OAuthGrantType> = {
  authorization_code: OAuthGrantType.AUTHORIZATION_CODE,
  refresh_token: OAuthGrantType.REFRESH_TOKEN,
  client_credentials: OAuthGrantType.CLIENT_CREDENTIALS,
};

function fromProto<T extends string, P extends number>(table: Record<T, P>, value: P, field: string): T {
  const found = (Object.entries(table) as Array<[T, P]>).find(([, proto]) => proto === value);
  if (found === undefined) throw new ValidationError(field, "is required");
  return found[0];
}

function clientToProto(client: OAuthClient): Omit<OAuthClientProto, "$typeName"> {
  return {
    clientId: client.clientId,
    name: client.name,
    type: TYPES[client.type],
    grantTypes: client.grantTypes.map((g) => GRANTS[g]),
    redirectUris: client.redirectUris,
    postLogoutRedirectUris: client.postLogoutRedirectUris,
    createTime: timestampFromDate(client.createTime),
    resources: client.resources,
  };
}

export function oauthClientAdminServiceRoutes(app: AuthApplication) {
  return (router: ConnectRouter) =>
    router.service(OAuthClientAdminService, {
      createClient: (req, ctx) =>
        translatingErrors(async () => {
          const created = await app.createOAuthClient(
            {
              name: req.name,
              type: fromProto(TYPES, req.type, "type"),
              grantTypes: req.grantTypes.map((g) => fromProto(GRANTS, g, "grant_types")),
              redirectUris: req.redirectUris,
              postLogoutRedirectUris: req.postLogoutRedirectUris,
              resources: req.resources,
            },
            callerOf(ctx, NO_PROXIES),
          );
          return { client: clientToProto(created.client), clientSecret: created.clientSecret ?? "" };
        }),
      getClient: (req) => translatingErrors(async () => ({ client: clientToProto(await app.getOAuthClient(req)) })),
      deleteClient: (req, ctx) =>
        translatingErrors(async () => {
          await app.deleteOAuthClient(req, callerOf(ctx, NO_PROXIES));
          return {};
        }),
      listClients: (req) =>
        translatingErrors(async () => {
          const page = await app.listOAuthClients(req);
          return { clients: page.clients.map(clientToProto), nextPageToken: page.nextPageToken };
        }),
    });
}
