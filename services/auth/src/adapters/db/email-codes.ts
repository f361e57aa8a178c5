import type { Kysely } from "kysely";
import type { EmailCodes } from "../../app/dependencies";
import { MAX_CODE_ATTEMPTS } from "../../domain/email-code";
import { insertAuditEvents } from "./audit-log";
import type { AuthDatabase } from "./schema";
import { endUserAccess } from "./user-access";

export function createEmailCodes(db: Kysely<AuthDatabase>): EmailCodes {
  return {
    async replace(userId, purpose, codeHash, expireTime) {
      await db
        .insertInto("email_codes")
        .values({ user_id: userId, purpose, code_hash: codeHash, expire_time: expireTime, consume_time: null })
        .onConflict((oc) =>
          oc.columns(["user_id", "purpose"]).doUpdateSet({ code_hash: codeHash, expire_time: expireTime, attempts: 0, consume_time: null }),
        )
        .execute();
    },

    async check(userId, purpose, codeHash, now) {
      // Under the row's lock: each guess is judged after the previous one was counted, so parallel
      // guesses cannot exceed the limit.
      return db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom("email_codes")
          .selectAll()
          .where("user_id", "=", userId)
          .where("purpose", "=", purpose)
          .forUpdate()
          .executeTakeFirst();
        if (row === undefined) return "wrong";
        if (row.consume_time !== null) return "used";
        if (row.attempts >= MAX_CODE_ATTEMPTS) return "exhausted";
        if (row.expire_time <= now) return "expired";
        if (row.code_hash === codeHash) return "ok";
        await tx
          .updateTable("email_codes")
          .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
          .where("user_id", "=", userId)
          .where("purpose", "=", purpose)
          .execute();
        return row.attempts + 1 >= MAX_CODE_ATTEMPTS ? "exhausted" : "wrong";
      });
    },

    async consume(userId, purpose, codeHash, now, then, caller, audit) {
      return db.transaction().execute(async (tx) => {
        // The compare-and-set: only one caller turns an unused, matching, live code into a used one.
        const consumed = await tx
          .updateTable("email_codes")
          .set({ consume_time: now })
          .where("user_id", "=", userId)
          .where("purpose", "=", purpose)
          .where("code_hash", "=", codeHash)
          .where("consume_time", "is", null)
          .where("expire_time", ">", now)
          .where("attempts", "<", MAX_CODE_ATTEMPTS)
          .executeTakeFirst();
        if (consumed.numUpdatedRows === 0n) return false;
        if ("verifyEmail" in then) {
          // Not for an account being removed (disabled at its deadline): too late.
          const verified = await tx
            .updateTable("users")
            .set({ email_verified: true, email_verify_time: now, update_time: now })
            .where("id", "=", userId)
            .where("status", "=", "active")
            .executeTakeFirst();
          if (verified.numUpdatedRows === 0n) return false;
        } else {
          await tx.updateTable("users").set({ password_hash: then.passwordHash, update_time: now }).where("id", "=", userId).execute();
          await endUserAccess(tx, userId, "password_reset", now);
        }
        await insertAuditEvents(tx, caller, audit, now);
        return true;
      });
    },
  };
}
