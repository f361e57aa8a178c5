import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { upsertOidcPayload } from "../db/oidc-store";
import type { AuthDatabase } from "../db/schema";

// OAuth clients, as the provider reads them (model "Client" in oidc_payloads). A confidential
// client's secret is 32 random bytes, shown once and stored as SHA-256 only: the provider
// compares hashes (provider.ts), so a database dump holds no usable secret.

export function hashClientSecret(secret: string): string {
  return `sha256:${createHash("sha256").update(secret).digest("base64url")}`;
}

export interface NewOidcClient {
  name: string;
  // "public": a browser or mobile app (no secret; PKCE only); "confidential": a server.
  type: "public" | "confidential";
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  grantTypes: Array<"authorization_code" | "refresh_token" | "client_credentials">;
}

export interface RegisteredOidcClient {
  clientId: string;
  // Only for a confidential client, and only now.
  clientSecret?: string;
}

export async function registerOidcClient(db: Kysely<AuthDatabase>, client: NewOidcClient): Promise<RegisteredOidcClient> {
  const clientId = randomUUID();
  const clientSecret = client.type === "confidential" ? randomBytes(32).toString("base64url") : undefined;
  const codeFlow = client.grantTypes.includes("authorization_code");
  await upsertOidcPayload(
    db,
    "Client",
    clientId,
    {
      client_id: clientId,
      client_name: client.name,
      ...(clientSecret !== undefined ? { client_secret: hashClientSecret(clientSecret) } : {}),
      token_endpoint_auth_method: clientSecret !== undefined ? "client_secret_basic" : "none",
      grant_types: client.grantTypes,
      response_types: codeFlow ? ["code"] : [],
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
    },
    null,
  );
  return { clientId, ...(clientSecret !== undefined ? { clientSecret } : {}) };
}
