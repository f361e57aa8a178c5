import type { Kysely } from "kysely";
import type { EmailCodes } from "../../app/dependencies";
import { KEPT_CODES, type EmailCodePurpose } from "../../domain/email-code";
import { insertAuditEvents } from "../../../audit/adapters/db/audit-log";
import type { AuthDatabase } from "../../../kernel/adapters/db/schema";
import { endUserAccess } from "../../../kernel/adapters/db/user-access";

export function createEmailCodes(db: Kysely<AuthDatabase>): EmailCodes {
  const live = (from: Kysely<AuthDatabase>, userId: string, purpose: EmailCodePurpose, now: Date) =>
    from
      .selectFrom("email_codes")
      .where("user_id", "=", userId)
      .where("purpose", "=", purpose)
      .where("consume_time", "is", null)
      .where("expire_time", ">", now);
  return {
    // The new code joins the user's live ones; beyond KEPT_CODES the oldest go, and so do the
    // expired and the used.
    async issue(userId, purpose, codeHash, expireTime) {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto("email_codes")
          .values({ user_id: userId, purpose, code_hash: codeHash, expire_time: expireTime, consume_time: null })
          .execute();
        const kept = live(tx, userId, purpose, new Date()).select("code_hash").orderBy("expire_time", "desc").limit(KEPT_CODES);
        await tx
          .deleteFrom("email_codes")
          .where("user_id", "=", userId)
          .where("purpose", "=", purpose)
          .where("code_hash", "not in", kept)
          .execute();
      });
    },

    // One read, the same for any user id (an unknown email is checked against a nobody): a wrong
    // guess and an unknown email cost the same.
    async check(userId, purpose, codeHash, now) {
      const row = await live(db, userId, purpose, now).select("code_hash").where("code_hash", "=", codeHash).executeTakeFirst();
      return row === undefined ? "wrong" : "ok";
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
        } else if ("passwordHash" in then) {
          await tx.updateTable("users").set({ password_hash: then.passwordHash, update_time: now }).where("id", "=", userId).execute();
          await endUserAccess(tx, userId, "password_reset", now);
        } else {
          await endUserAccess(tx, userId, "not_me", now);
        }
        // The purpose is fulfilled: the user's other codes for it stop working too.
        await tx
          .updateTable("email_codes")
          .set({ consume_time: now })
          .where("user_id", "=", userId)
          .where("purpose", "=", purpose)
          .where("consume_time", "is", null)
          .execute();
        await insertAuditEvents(tx, caller, audit, now);
        return true;
      });
    },
  };
}
