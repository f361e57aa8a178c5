import { LRUCache } from "lru-cache";
import type { AdapterPayload } from "oidc-provider";

// The provider reads a client on every grant and every introspection. Clients never change once
// made (OAuthClientAdminService creates and deletes them; nothing updates one), so a client read
// once is kept in memory: a deletion evicts it here at once, and another replica of the service
// may still serve a deleted client for up to CLIENT_CACHE_TTL_MS. Unknown ids are not kept.
export const CLIENT_CACHE_TTL_MS = 10_000;
const MOST_CLIENTS = 1_000;

export type ClientCache = LRUCache<string, AdapterPayload>;

export function createClientCache(): ClientCache {
  return new LRUCache<string, AdapterPayload>({ max: MOST_CLIENTS, ttl: CLIENT_CACHE_TTL_MS });
}
