import type { Kysely } from "kysely";
import { errors, type Adapter, type AdapterFactory, type AdapterPayload } from "oidc-provider";
import {
  consumeOidcPayload,
  deleteOidcGrant,
  deleteOidcPayload,
  findOidcPayload,
  findOidcPayloadsById,
  upsertOidcPayload,
  type OidcRecord,
} from "./db/oidc-store";
import type { AuthDatabase } from "../../kernel/adapters/db/schema";
import { withinReuseGrace } from "../../sessions/domain/session";
import type { ClientCache } from "./client-cache";

// oidc-provider's storage on the auth database: one adapter per model (Session, Grant,
// AuthorizationCode, RefreshToken, Client, …) over the oidc_payloads table.
//
// Refresh tokens: the provider treats a token it reads as consumed as a replay, and revokes the
// whole grant (RFC 9700 §4.14.2). A client's own concurrent refreshes with one token are not a
// replay: for `reuseGraceMs` after a token is consumed it is read as unconsumed, so the losers
// reach consume(), whose compare-and-set refuses them (invalid_grant) and leaves the grant — and
// the winner's new token — alone. A use after the grace window revokes the grant.
//
// Clients are read through `clients` (client-cache.ts); each caller gets a copy of the cached payload.
export function oidcStorage(db: Kysely<AuthDatabase>, reuseGraceMs: number, clients: ClientCache): AdapterFactory {
  const findById = coalescedFinds(db);
  return (model: string): Adapter => {
    const found = async (by: "id" | "uid" | "user_code", value: string): Promise<AdapterPayload | undefined> => {
      const record = by === "id" ? await findById(model, value) : await findOidcPayload(db, model, by, value);
      if (record === undefined) return undefined;
      const consumed = record.consumeTime;
      const racing = model === "RefreshToken" && consumed !== undefined && withinReuseGrace(consumed, new Date(), reuseGraceMs);
      return consumed === undefined || racing ? record.payload : { ...record.payload, consumed: Math.floor(consumed.getTime() / 1000) };
    };
    const adapter: Adapter = {
      async upsert(id, payload, expiresIn) {
        const expireTime = expiresIn !== undefined ? new Date(Date.now() + expiresIn * 1000) : null;
        await upsertOidcPayload(db, model, id, payload as Record<string, unknown>, expireTime);
      },
      find: (id) => found("id", id),
      findByUid: (uid) => found("uid", uid),
      findByUserCode: (userCode) => found("user_code", userCode),
      // A code or a refresh token is used once: of concurrent consumers exactly one wins; the
      // others are refused as a reuse (without this, concurrent refreshes of one token each
      // succeed and fork the grant).
      async consume(id) {
        if (!(await consumeOidcPayload(db, model, id))) throw new errors.InvalidGrant(`${model} already used`);
      },
      destroy: (id) => deleteOidcPayload(db, model, id),
      revokeByGrantId: (grantId) => deleteOidcGrant(db, grantId),
    };
    return model === "Client" ? cachedClients(adapter, clients) : adapter;
  };
}

// A client's reads come from `clients` when there; its writes evict it first.
function cachedClients(adapter: Adapter, clients: ClientCache): Adapter {
  return {
    ...adapter,
    // Kept from its read from the database, not from its last use: another replica's deletion
    // reaches this one within the cache's time to live however busy the client is.
    async find(id) {
      let payload = clients.get(id);
      if (payload === undefined) {
        payload = (await adapter.find(id)) ?? undefined;
        if (payload === undefined) return undefined;
        clients.set(id, payload);
      }
      return structuredClone(payload);
    },
    upsert(id, payload, expiresIn) {
      clients.delete(id);
      return adapter.upsert(id, payload, expiresIn);
    },
    destroy(id) {
      clients.delete(id);
      return adapter.destroy(id);
    },
  };
}

// The provider looks a token it is shown (introspection, revocation) up as every kind it could be
// at once: AccessToken, ClientCredentials and RefreshToken's find in one Promise.all, three reads
// of one id's rows. Finds of one id asked within a turn of the event loop are answered by one
// query for every model asked.
function coalescedFinds(db: Kysely<AuthDatabase>): (model: string, id: string) => Promise<OidcRecord | undefined> {
  const pending = new Map<string, { models: Set<string>; found: Promise<Map<string, OidcRecord>> }>();
  return (model, id) => {
    let batch = pending.get(id);
    if (batch === undefined) {
      const models = new Set<string>();
      const found = new Promise<Map<string, OidcRecord>>((resolve, reject) =>
        setImmediate(() => {
          pending.delete(id);
          findOidcPayloadsById(db, [...models], id).then(resolve, reject);
        }),
      );
      batch = { models, found };
      pending.set(id, batch);
    }
    batch.models.add(model);
    return batch.found.then((records) => records.get(model));
  };
}
