// The OpenID provider's load: client-credentials grants and token introspections over HTTP, each
// with its baseline in this process — the one JWT signature a grant makes (jose, EdDSA, as the
// provider signs for a resource server), and the primary-key reads an introspection makes, on a
// pool the size of auth's.
import pg from "pg";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";

export interface ServiceClient {
  clientId: string;
  clientSecret: string;
}

// A confidential client allowed the client-credentials grant, made through the operator's API;
// its JWT access tokens are for `resource` (auth's own URL in the bench stack).
export async function createServiceClient(
  stack: { authInternalUrl: string; operatorCredential: string },
  name: string,
  resource: string,
): Promise<ServiceClient> {
  const oauthAdmin = createInternalClient(OAuthClientAdminService, stack.authInternalUrl, stack.operatorCredential);
  const created = await oauthAdmin.createClient({
    name,
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes: [OAuthGrantType.CLIENT_CREDENTIALS],
    resources: [resource],
  });
  return { clientId: created.client!.clientId, clientSecret: created.clientSecret };
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function tokenRequest(authUrl: string, client: ServiceClient, path: string, fields: Record<string, string>) {
  return fetch(`${authUrl}/oidc${path}`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: form(fields),
  });
}

async function ok(res: Promise<Response>): Promise<Record<string, unknown>> {
  const answer = await res;
  const body = (await answer.json()) as Record<string, unknown>;
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status}: ${String(body.error)}`);
  return body;
}

// A JWT access token for the resource server `resource` (auth's own URL in the bench stack).
export function clientCredentialsCall(authUrl: string, client: ServiceClient, resource: string) {
  return async () => {
    await ok(tokenRequest(authUrl, client, "/token", { grant_type: "client_credentials", resource }));
  };
}

// An opaque access token (no resource), which introspection reads from the database.
export async function opaqueAccessToken(authUrl: string, client: ServiceClient): Promise<string> {
  return String((await ok(tokenRequest(authUrl, client, "/token", { grant_type: "client_credentials" }))).access_token);
}

export function introspectionCall(authUrl: string, client: ServiceClient, token: string) {
  return async () => {
    const body = await ok(tokenRequest(authUrl, client, "/token/introspection", { token }));
    if (body.active !== true) throw new Error("introspection answered inactive");
  };
}

// How many reads of oidc_payloads (index scans of its primary key) one introspection makes,
// counted over `sample` introspections on a quiet database.
export async function readsPerIntrospection(databaseUrl: string, introspect: () => Promise<void>, sample = 200): Promise<number> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const scans = async () => {
      // The statistics collector's view of this backend's snapshot is refreshed on demand.
      await admin.query("select pg_stat_clear_snapshot()");
      const { rows } = await admin.query<{ n: string }>(
        "select coalesce(idx_scan, 0) as n from pg_stat_user_tables where relname = 'oidc_payloads'",
      );
      return Number(rows[0]?.n ?? 0);
    };
    const before = await scans();
    for (let i = 0; i < sample; i++) await introspect();
    // Statistics reach the view at the end of each transaction, flushed within a second.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    return Math.max(1, Math.round(((await scans()) - before) / sample));
  } finally {
    await admin.end();
  }
}

// The introspection's baseline: `reads` primary-key reads of oidc_payloads per call, through a
// pool of auth's size.
export function primaryKeyReadsCall(pool: pg.Pool, token: string, reads: number) {
  return async () => {
    for (let i = 0; i < reads; i++)
      await pool.query("select payload, consume_time from oidc_payloads where model = $1 and id = $2", ["AccessToken", token]);
  };
}
