import { sql, type Kysely, type Transaction } from "kysely";
import { sha256 } from "@flowshield/common/crypto/secret-digest";
import type { AuthDatabase } from "../../../kernel/adapters/db/schema";

// What oidc-provider stores, by model and id, in one table (migrations 0004, 0005). The provider's
// Adapter interface is implemented over these in oauth/adapters/storage.ts.
//
// An id is a bearer secret for every model but Client (an opaque token, a code, a session
// cookie's value, an interaction's id): the table keeps its SHA-256 only, and the payload without
// the provider's copy of it (`jti`), which find() puts back from the id it was asked for. A
// dump of the table then holds nothing anyone can present.
type Db = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

export interface OidcRecord {
  payload: Record<string, unknown>;
  consumeTime?: Date;
}

function storedId(model: string, id: string): string {
  return model === "Client" ? id : sha256(id).toString("base64url");
}

export async function upsertOidcPayload(
  db: Db,
  model: string,
  id: string,
  payload: Record<string, unknown>,
  expireTime: Date | null,
): Promise<void> {
  const { jti: _jti, ...kept } = payload;
  const keys = {
    grant_id: typeof payload.grantId === "string" ? payload.grantId : null,
    uid: typeof payload.uid === "string" ? payload.uid : null,
    user_code: typeof payload.userCode === "string" ? payload.userCode : null,
    account_id: typeof payload.accountId === "string" ? payload.accountId : null,
    expire_time: expireTime,
  };
  const json = JSON.stringify(model === "Client" ? payload : kept);
  await db
    .insertInto("oidc_payloads")
    .values({ model, id: storedId(model, id), payload: json, ...keys })
    .onConflict((oc) => oc.columns(["model", "id"]).doUpdateSet({ payload: json, ...keys }))
    .execute();
}

// By id (the record comes back with its `jti`), or by uid or user code (without: the id is not
// known — only a Session is found by uid, to check it, never to be saved again).
export async function findOidcPayload(
  db: Db,
  model: string,
  by: "id" | "uid" | "user_code",
  value: string,
): Promise<OidcRecord | undefined> {
  if (by === "id") return (await findOidcPayloadsById(db, [model], value)).get(model);
  const row = await unexpired(db).select(["payload", "consume_time"]).where("model", "=", model).where(by, "=", value).executeTakeFirst();
  return row === undefined ? undefined : recordOf(row, undefined);
}

// One id looked up as several models at once (a token the provider does not know the kind of),
// in one query: the records found, by model. Tokens of every model share the id's hash.
export async function findOidcPayloadsById(db: Db, models: readonly string[], id: string): Promise<Map<string, OidcRecord>> {
  const ids = [...new Set(models.map((m) => storedId(m, id)))];
  const rows = await unexpired(db)
    .select(["model", "id", "payload", "consume_time"])
    .where("model", "in", models)
    .where("id", "in", ids)
    .execute();
  return new Map(
    rows
      .filter((row) => row.id === storedId(row.model, id))
      .map((row) => [row.model, recordOf(row, row.model === "Client" ? undefined : id)]),
  );
}

const unexpired = (db: Db) =>
  db.selectFrom("oidc_payloads").where((eb) => eb.or([eb("expire_time", "is", null), eb("expire_time", ">", sql<Date>`now()`)]));

function recordOf(row: { payload: Record<string, unknown>; consume_time: Date | null }, jti: string | undefined): OidcRecord {
  return {
    payload: jti !== undefined ? { ...row.payload, jti } : row.payload,
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
    .where("id", "=", storedId(model, id))
    .where("consume_time", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function deleteOidcPayload(db: Db, model: string, id: string): Promise<void> {
  await db.deleteFrom("oidc_payloads").where("model", "=", model).where("id", "=", storedId(model, id)).execute();
}

// A revoked grant: the grant and everything issued under it (its tokens and codes, of every model).
export async function deleteOidcGrant(db: Db, grantId: string): Promise<void> {
  await db
    .deleteFrom("oidc_payloads")
    .where((eb) => eb.or([eb("grant_id", "=", grantId), eb.and([eb("model", "=", "Grant"), eb("id", "=", storedId("Grant", grantId))])]))
    .execute();
}

// Everything the provider holds for a user — browser sessions, grants, codes, tokens, its
// interactions' results — ended: one part of ending a user's access (user-access.ts).
export async function deleteOidcPayloadsOfAccount(db: Db, accountId: string): Promise<number> {
  const result = await db.deleteFrom("oidc_payloads").where("account_id", "=", accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function purgeExpiredOidcPayloads(db: Db): Promise<number> {
  const result = await db
    .deleteFrom("oidc_payloads")
    .where("expire_time", "<", sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
