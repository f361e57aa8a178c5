import { randomBytes, randomUUID } from "node:crypto";
import { sha256 } from "@flowshield/common/crypto/secret-digest";
import type { ClientCache } from "./client-cache";
import { sql, type Kysely } from "kysely";
import type { OAuthClients } from "../app/dependencies";
import type { OAuthClient, OAuthClientType, OAuthGrantType } from "../domain/oauth-client";
import { deleteOidcPayload, upsertOidcPayload } from "./db/oidc-store";
import { insertAuditEvents } from "../../audit/adapters/db/audit-log";
import type { AuthDatabase } from "../../kernel/adapters/db/schema";

// OAuth clients, as the provider reads them (model "Client" in oidc_payloads, in the provider's
// metadata names). A confidential client's secret is 32 random bytes, shown once and stored as
// SHA-256 only: the provider compares hashes (provider.ts), so a database dump holds no usable
// secret.

export function hashClientSecret(secret: string): string {
  return `sha256:${sha256(secret).toString("base64url")}`;
}

interface ClientMetadata {
  client_id: string;
  client_name: string;
  client_secret?: string;
  token_endpoint_auth_method: "client_secret_basic" | "none";
  grant_types: OAuthGrantType[];
  response_types: string[];
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  // Ours (provider.ts declares it as extra client metadata): the resource servers it may ask for.
  resources?: string[];
}

function fromMetadata(metadata: ClientMetadata, createTime: Date): OAuthClient {
  return {
    clientId: metadata.client_id,
    name: metadata.client_name,
    type: (metadata.token_endpoint_auth_method === "none" ? "public" : "confidential") satisfies OAuthClientType,
    grantTypes: metadata.grant_types,
    redirectUris: metadata.redirect_uris,
    postLogoutRedirectUris: metadata.post_logout_redirect_uris,
    resources: metadata.resources ?? [],
    createTime,
  };
}

// A deleted client leaves the provider's cache of this process at once (client-cache.ts).
export function createOAuthClientStore(db: Kysely<AuthDatabase>, cache: ClientCache): OAuthClients {
  // Ordered by the creation time to the millisecond (what a page token carries: a JS Date), then
  // the id, so that paging neither skips nor repeats clients made within one millisecond.
  const createMs = sql<Date>`date_trunc('milliseconds', create_time)`;
  const clients = () =>
    db
      .selectFrom("oidc_payloads")
      .select(["id", "payload", createMs.as("create_time")])
      .where("model", "=", "Client")
      .orderBy(createMs)
      .orderBy("id");
  return {
    async create(client, caller, audit) {
      const clientId = randomUUID();
      const clientSecret = client.type === "confidential" ? randomBytes(32).toString("base64url") : undefined;
      const metadata: ClientMetadata = {
        client_id: clientId,
        client_name: client.name,
        ...(clientSecret !== undefined ? { client_secret: hashClientSecret(clientSecret) } : {}),
        token_endpoint_auth_method: clientSecret !== undefined ? "client_secret_basic" : "none",
        grant_types: client.grantTypes,
        response_types: client.grantTypes.includes("authorization_code") ? ["code"] : [],
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris,
        resources: client.resources,
      };
      await db.transaction().execute(async (tx) => {
        await upsertOidcPayload(tx, "Client", clientId, { ...metadata }, null);
        await insertAuditEvents(tx, caller, audit({ clientId, name: client.name }));
      });
      const stored = await clients().where("id", "=", clientId).executeTakeFirstOrThrow();
      return { client: fromMetadata(metadata, stored.create_time), ...(clientSecret !== undefined ? { clientSecret } : {}) };
    },
    async find(clientId) {
      const row = await clients().where("id", "=", clientId).executeTakeFirst();
      return row === undefined ? undefined : fromMetadata(row.payload as unknown as ClientMetadata, row.create_time);
    },
    async delete(clientId, caller, audit) {
      await db.transaction().execute(async (tx) => {
        await deleteOidcPayload(tx, "Client", clientId);
        await insertAuditEvents(tx, caller, audit);
      });
      cache.delete(clientId);
    },
    async list({ after, limit }) {
      const query = after === undefined ? clients() : clients().where(sql<boolean>`(${createMs}, id) > (${after.time}, ${after.id})`);
      const rows = await query.limit(limit).execute();
      return rows.map((row) => fromMetadata(row.payload as unknown as ClientMetadata, row.create_time));
    },
  };
}
