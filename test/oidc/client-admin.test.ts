import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { findOidcPayload } from "@flowshield/auth/db";
import { Code, outcomeOf } from "../support/codes";
import { OPERATOR_CREDENTIAL, uniqueSuffix } from "../support/env";
import { useFullStack } from "../support/stack";

// OAuthClientAdminService on auth's internal listener: operators register the OpenID provider's
// clients; a secret is shown once and stored hashed; bad metadata is INVALID_ARGUMENT with the field.

const stack = useFullStack();
const admin = () => createInternalClient(OAuthClientAdminService, stack().auth.internalUrl, OPERATOR_CREDENTIAL);
const spa = () => ({
  name: `spa-${uniqueSuffix()}`,
  type: OAuthClientType.PUBLIC,
  grantTypes: [OAuthGrantType.AUTHORIZATION_CODE, OAuthGrantType.REFRESH_TOKEN],
  redirectUris: ["http://localhost:5173/callback"],
});

test("a public client has no secret; a confidential one's secret is answered once and stored as a hash", async () => {
  const created = await admin().createClient(spa());
  expect(created.clientSecret).toBe("");
  expect(created.client).toMatchObject({ type: OAuthClientType.PUBLIC, redirectUris: ["http://localhost:5173/callback"] });

  const confidential = await admin().createClient({
    name: "billing",
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes: [OAuthGrantType.CLIENT_CREDENTIALS],
  });
  expect(confidential.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const got = await admin().getClient({ clientId: confidential.client!.clientId });
  expect(got.client).toEqual(confidential.client);
  const stored = await findOidcPayload(stack().auth.db, "Client", "id", confidential.client!.clientId);
  expect(JSON.stringify(stored)).not.toContain(confidential.clientSecret);
});

test("list pages through every client oldest first; delete removes one, and deleting it again is fine", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await admin().createClient(spa())).client!.clientId);
  const seen: string[] = [];
  let pageToken = "";
  do {
    const page = await admin().listClients({ pageSize: 2, pageToken });
    expect(page.clients.length).toBeLessThanOrEqual(2);
    seen.push(...page.clients.map((c) => c.clientId));
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
  expect(new Set(seen).size).toBe(seen.length);

  await admin().deleteClient({ clientId: ids[0]! });
  await admin().deleteClient({ clientId: ids[0]! });
  expect(await outcomeOf(admin().getClient({ clientId: ids[0]! }))).toMatchObject({ code: Code.NotFound });
});

test.each([
  ["no name", { name: " " }, "name: is required"],
  ["no type", { type: OAuthClientType.UNSPECIFIED }, "type: is required"],
  ["no grant type", { grantTypes: [] }, "grant_types: must name at least one grant type"],
  [
    "a public client asking for client credentials",
    { grantTypes: [OAuthGrantType.CLIENT_CREDENTIALS] },
    "grant_types: client_credentials needs a confidential client",
  ],
  ["the code flow without a redirect URI", { redirectUris: [] }, "redirect_uris: the authorization code flow needs one"],
  [
    "a plain-http redirect to another host",
    { redirectUris: ["http://app.example.com/cb"] },
    'redirect_uris: "http://app.example.com/cb" must be https (http only for localhost)',
  ],
  [
    "a redirect with a fragment",
    { redirectUris: ["https://app.example.com/cb#x"] },
    'redirect_uris: "https://app.example.com/cb#x" must not have a fragment',
  ],
  ["a relative redirect", { redirectUris: ["/cb"] }, 'redirect_uris: "/cb" is not an absolute URI'],
])("%s is INVALID_ARGUMENT naming the field", async (_, change, message) => {
  expect(await outcomeOf(admin().createClient({ ...spa(), ...change }))).toEqual({ code: Code.InvalidArgument, message });
});

test("a malformed client id is INVALID_ARGUMENT; a bad page token too; without the service credential nothing is answered", async () => {
  expect(await outcomeOf(admin().getClient({ clientId: "nope" }))).toMatchObject({ code: Code.InvalidArgument });
  expect(await outcomeOf(admin().listClients({ pageToken: "garbage" }))).toMatchObject({ code: Code.InvalidArgument });
  const anonymous = createClient(OAuthClientAdminService, createGrpcTransport({ baseUrl: stack().auth.internalUrl }));
  expect(await outcomeOf(anonymous.listClients({}))).toMatchObject({ code: Code.Unauthenticated });
});

test("registering and deleting a client are audited, with the client's id and never its secret", async () => {
  const created = await admin().createClient({
    name: "audited",
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes: [OAuthGrantType.CLIENT_CREDENTIALS],
  });
  const clientId = created.client!.clientId;
  await admin().deleteClient({ clientId });
  const eventsOf = async (type: string) =>
    (await stack().userAdmin.listAuditEvents({ type, pageSize: 500 })).events.filter((e) => JSON.parse(e.detail).client_id === clientId);
  expect(await eventsOf("oauth_client_created")).toHaveLength(1);
  expect(await eventsOf("oauth_client_deleted")).toHaveLength(1);
  for (const e of await eventsOf("oauth_client_created")) expect(e.detail).not.toContain(created.clientSecret);
});
