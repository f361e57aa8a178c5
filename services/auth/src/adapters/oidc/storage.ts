import type { Kysely } from "kysely";
import { errors, type Adapter, type AdapterFactory, type AdapterPayload } from "oidc-provider";
import { consumeOidcPayload, deleteOidcGrant, deleteOidcPayload, findOidcPayload, upsertOidcPayload } from "../db/oidc-store";
import type { AuthDatabase } from "../db/schema";

// oidc-provider's storage on the auth database: one adapter per model (Session, Grant,
// AuthorizationCode, RefreshToken, Client, …) over the oidc_payloads table.
export function oidcStorage(db: Kysely<AuthDatabase>): AdapterFactory {
  return (model: string): Adapter => {
    const found = async (by: "id" | "uid" | "user_code", value: string): Promise<AdapterPayload | undefined> => {
      const record = await findOidcPayload(db, model, by, value);
      return record === undefined
        ? undefined
        : { ...record.payload, ...(record.consumed !== undefined ? { consumed: record.consumed } : {}) };
    };
    return {
      async upsert(id, payload, expiresIn) {
        const expireTime = expiresIn !== undefined ? new Date(Date.now() + expiresIn * 1000) : null;
        await upsertOidcPayload(db, model, id, payload as Record<string, unknown>, expireTime);
      },
      find: (id) => found("id", id),
      findByUid: (uid) => found("uid", uid),
      findByUserCode: (userCode) => found("user_code", userCode),
      // A code or a refresh token is used once. The provider reads `consumed` and then consumes,
      // two steps that concurrent requests interleave; the compare-and-set decides, and a loser
      // is refused as a reuse (without it, concurrent refreshes of one token each succeed and
      // fork the grant).
      async consume(id) {
        if (!(await consumeOidcPayload(db, model, id))) throw new errors.InvalidGrant(`${model} already used`);
      },
      destroy: (id) => deleteOidcPayload(db, model, id),
      revokeByGrantId: (grantId) => deleteOidcGrant(db, grantId),
    };
  };
}
