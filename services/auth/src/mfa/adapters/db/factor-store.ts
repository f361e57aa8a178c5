import { sql, type Kysely, type Transaction } from "kysely";
import type { FactorStore } from "../../app/dependencies";
import { isTotpFactor } from "../../domain/factor";
import { factorFromRow } from "./factor-rows";
import { insertAuditEvents } from "../../../audit/adapters/db/audit-log";
import type { AuthDatabase } from "../../../kernel/adapters/db/schema";
import { endUserAccess } from "../../../kernel/adapters/db/user-access";

type Db = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

async function storeRecoveryCodes(tx: Db, userId: string, codeHashes: string[]): Promise<void> {
  await tx.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
  if (codeHashes.length > 0)
    await tx
      .insertInto("recovery_codes")
      .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash })))
      .execute();
}

// Stores these codes unless the user has live ones (an account's first factor brings them);
// whether it stored them.
export async function storeRecoveryCodesUnlessLive(tx: Db, userId: string, codeHashes: string[]): Promise<boolean> {
  if ((await liveRecoveryCodes(tx, userId)) > 0) return false;
  await storeRecoveryCodes(tx, userId, codeHashes);
  return true;
}

async function liveRecoveryCodes(db: Db, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom("recovery_codes")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .where("user_id", "=", userId)
    .where("consume_time", "is", null)
    .executeTakeFirstOrThrow();
  return Number(count);
}

async function hasConfirmedFactor(tx: Db, userId: string): Promise<boolean> {
  const factor = await tx
    .selectFrom("factors")
    .select("id")
    .where("user_id", "=", userId)
    .where("confirm_time", "is not", null)
    .executeTakeFirst();
  return factor !== undefined;
}

// Factors and recovery codes in the auth database. Every change that ends sessions does so in its
// own transaction (kernel/adapters/db/user-access.ts), with its audit events.
export function createFactorStore(db: Kysely<AuthDatabase>): FactorStore {
  return {
    async startTotp(factor, staleBefore) {
      await db.transaction().execute(async (tx) => {
        await tx
          .deleteFrom("factors")
          .where("user_id", "=", factor.userId)
          .where("confirm_time", "is", null)
          .where("create_time", "<", staleBefore)
          .execute();
        await tx
          .insertInto("factors")
          .values({
            id: factor.id,
            user_id: factor.userId,
            type: "totp",
            name: factor.name,
            create_time: factor.createTime,
            totp_secret: factor.sealedSecret,
          })
          .execute();
      });
    },

    async findUnconfirmedTotp(userId, factorId, createdAfter) {
      const row = await db
        .selectFrom("factors")
        .selectAll()
        .where("id", "=", factorId)
        .where("user_id", "=", userId)
        .where("type", "=", "totp")
        .where("confirm_time", "is", null)
        .where("create_time", ">", createdAfter)
        .executeTakeFirst();
      const factor = row === undefined ? undefined : factorFromRow(row);
      return factor !== undefined && isTotpFactor(factor) ? factor : undefined;
    },

    async confirmTotp({ userId, id, step }, recoveryCodeHashes, keepSessionId, caller, audit) {
      return db.transaction().execute(async (tx) => {
        const now = new Date();
        const confirmed = await tx
          .updateTable("factors")
          .set({ confirm_time: now, totp_last_step: step })
          .where("id", "=", id)
          .where("user_id", "=", userId)
          .where("confirm_time", "is", null)
          .executeTakeFirst();
        if (confirmed.numUpdatedRows === 0n) return { confirmed: false, recoveryCodesStored: false };
        const recoveryCodesStored = await storeRecoveryCodesUnlessLive(tx, userId, recoveryCodeHashes);
        await endUserAccess(tx, userId, "factor_enrolled", now, keepSessionId);
        await insertAuditEvents(tx, caller, audit, now);
        return { confirmed: true, recoveryCodesStored };
      });
    },

    async listConfirmed(userId) {
      const rows = await db
        .selectFrom("factors")
        .selectAll()
        .where("user_id", "=", userId)
        .where("confirm_time", "is not", null)
        .orderBy("create_time")
        .orderBy("id")
        .execute();
      return rows.map(factorFromRow);
    },

    async spendTotpStep(factorId, step, now) {
      const result = await db
        .updateTable("factors")
        .set({ totp_last_step: step, last_use_time: now })
        .where("id", "=", factorId)
        // Parenthesised: a raw condition is and-ed as written, and an unbracketed "or" would reach
        // every factor (test/mfa/second-factor.test.ts signs eight accounts in at once).
        .where(sql<boolean>`(totp_last_step is null or totp_last_step < ${step})`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    spendRecoveryCode: (userId, codeHash, now, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const spent = await tx
          .updateTable("recovery_codes")
          .set({ consume_time: now })
          .where("user_id", "=", userId)
          .where("code_hash", "=", codeHash)
          .where("consume_time", "is", null)
          .executeTakeFirst();
        if (spent.numUpdatedRows === 0n) return false;
        await endUserAccess(tx, userId, "recovery_code_used", now);
        await insertAuditEvents(tx, caller, audit, now);
        return true;
      }),

    recoveryCodesLeft: (userId) => liveRecoveryCodes(db, userId),

    remove: (userId, factorId, keepSessionId, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const now = new Date();
        const removed = await tx
          .deleteFrom("factors")
          .where("id", "=", factorId)
          .where("user_id", "=", userId)
          .where("confirm_time", "is not", null)
          .executeTakeFirst();
        if (removed.numDeletedRows === 0n) return false;
        // No factor left: nothing to recover, and no second step to answer.
        if (!(await hasConfirmedFactor(tx, userId))) await storeRecoveryCodes(tx, userId, []);
        await endUserAccess(tx, userId, "factor_removed", now, keepSessionId);
        await insertAuditEvents(tx, caller, audit, now);
        return true;
      }),

    removeAll: (userId, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const now = new Date();
        const removed = await tx
          .deleteFrom("factors")
          .where("user_id", "=", userId)
          .where("confirm_time", "is not", null)
          .executeTakeFirst();
        await tx.deleteFrom("factors").where("user_id", "=", userId).execute();
        await storeRecoveryCodes(tx, userId, []);
        const count = Number(removed.numDeletedRows);
        if (count === 0) return 0;
        await endUserAccess(tx, userId, "factors_reset", now);
        await insertAuditEvents(tx, caller, audit, now);
        return count;
      }),

    replaceRecoveryCodes: (userId, codeHashes, keepSessionId, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const now = new Date();
        // The user's row, locked: a factor removed meanwhile cannot leave codes behind it.
        await tx.selectFrom("users").select("id").where("id", "=", userId).forUpdate().executeTakeFirst();
        if (!(await hasConfirmedFactor(tx, userId))) return false;
        await storeRecoveryCodes(tx, userId, codeHashes);
        await endUserAccess(tx, userId, "recovery_codes_regenerated", now, keepSessionId);
        await insertAuditEvents(tx, caller, audit, now);
        return true;
      }),
  };
}
