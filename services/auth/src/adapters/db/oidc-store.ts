import { sql, type Kysely } from "kysely";
import type { AuthDatabase } from "./schema";

// What oidc-provider stores, by model and id, in one table (migration 0004). The provider's
// Adapter interface is implemented over these in adapters/oidc/storage.ts.
type Db = Kysely<AuthDatabase>;

export interface OidcRecord {
  payload: Record<string, unknown>;
  consumeTime?: Date;
}

export async function upsertOidcPayload(
  db: Db,
  model: string,
  id: string,
  payload: Record<string, unknown>,
  expireTime: Date | null,
): Promise<void> {
  const keys = {
    grant_id: typeof payload.grantId === "string" ? payload.grantId : null,
    uid: typeof payload.uid === "string" ? payload.uid : null,
    user_code: typeof payload.userCode === "string" ? payload.userCode : null,
    expire_time: expireTime,
  };
  await db
    .insertInto("oidc_payloads")
    .values({ model, id, payload: JSON.stringify(payload), ...keys })
    .onConflict((oc) => oc.columns(["model", "id"]).doUpdateSet({ payload: JSON.stringify(payload), ...keys }))
    .execute();
}

export async function findOidcPayload(
  db: Db,
  model: string,
  by: "id" | "uid" | "user_code",
  value: string,
): Promise<OidcRecord | undefined> {
  const row = await db
    .selectFrom("oidc_payloads")
    .select(["payload", "consume_time"])
    .where("model", "=", model)
    .where(by, "=", value)
    .where((eb) => eb.or([eb("expire_time", "is", null), eb("expire_time", ">", sql<Date>`now()`)]))
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    payload: row.payload,
    ...(row.consume_time !== null ? { consumeTime: row.consume_time } : {}),
  };
}

// The compare-and-set that makes a code or a rotated refresh token single-use: of any number of
// concurrent callers exactly one sees true.
export async function consumeOidcPayload(db: Db, model: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable("oidc_payloads")
    .set({ consume_time: sql<Date>`now()` })
    .where("model", "=", model)
    .where("id", "=", id)
    .where("consume_time", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function deleteOidcPayload(db: Db, model: string, id: string): Promise<void> {
  await db.deleteFrom("oidc_payloads").where("model", "=", model).where("id", "=", id).execute();
}

// Everything issued under a grant (its tokens and codes, of every model): a revoked grant.
export async function deleteOidcGrant(db: Db, grantId: string): Promise<void> {
  await db.deleteFrom("oidc_payloads").where("grant_id", "=", grantId).execute();
}

export async function purgeExpiredOidcPayloads(db: Db): Promise<number> {
  const result = await db
    .deleteFrom("oidc_payloads")
    .where("expire_time", "<", sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
