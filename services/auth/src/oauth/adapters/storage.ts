import type { Kysely } from "kysely";
import { errors, type Adapter, type AdapterFactory, type AdapterPayload } from "oidc-provider";
import { consumeOidcPayload, deleteOidcGrant, deleteOidcPayload, findOidcPayload, upsertOidcPayload } from "./db/oidc-store";
import type { AuthDatabase } from "../../kernel/adapters/db/schema";
import { withinReuseGrace } from "../../sessions/domain/session";

// oidc-provider's storage on the auth database: one adapter per model (Session, Grant,
// AuthorizationCode, RefreshToken, Client, …) over the oidc_payloads table.
//
// Refresh tokens: the provider treats a token it reads as consumed as a replay, and revokes the
// whole grant (RFC 9700 §4.14.2). A client's own concurrent refreshes with one token are not a
// replay: for `reuseGraceMs` after a token is consumed it is read as unconsumed, so the losers
// reach consume(), whose compare-and-set refuses them (invalid_grant) and leaves the grant — and
// the winner's new token — alone. A use after the grace window revokes the grant.
export function oidcStorage(db: Kysely<AuthDatabase>, reuseGraceMs: number): AdapterFactory {
  return (model: string): Adapter => {
    const found = async (by: "id" | "uid" | "user_code", value: string): Promise<AdapterPayload | undefined> => {
      const record = await findOidcPayload(db, model, by, value);
      if (record === undefined) return undefined;
      const consumed = record.consumeTime;
      const racing = model === "RefreshToken" && consumed !== undefined && withinReuseGrace(consumed, new Date(), reuseGraceMs);
      return consumed === undefined || racing ? record.payload : { ...record.payload, consumed: Math.floor(consumed.getTime() / 1000) };
    };
    return {
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
  };
}
