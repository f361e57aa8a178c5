import type { Kysely } from "kysely";
import type { AuthDatabase } from "../../../kernel/adapters/db/schema";
import type { AccountNormal } from "../../domain/account-normal";
import type { RiskProfiles } from "../../app/dependencies";

export function createRiskProfileStore(db: Kysely<AuthDatabase>): RiskProfiles {
  return {
    async find(userId) {
      const row = await db.selectFrom("risk_profiles").select("normal").where("user_id", "=", userId).executeTakeFirst();
      return row?.normal as AccountNormal | undefined;
    },
    // Read and written under the row's lock, so two sign-ins at once both count. A user deleted
    // meanwhile has nothing to learn into (the insert finds no user and does nothing).
    update: (userId, learn) =>
      db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom("risk_profiles").select("normal").where("user_id", "=", userId).forUpdate().executeTakeFirst();
        const normal = JSON.stringify(learn(row?.normal as AccountNormal | undefined));
        const now = new Date();
        if (row !== undefined) {
          await tx.updateTable("risk_profiles").set({ normal, update_time: now }).where("user_id", "=", userId).execute();
          return;
        }
        await tx
          .insertInto("risk_profiles")
          .columns(["user_id", "normal", "update_time"])
          .expression((eb) =>
            eb
              .selectFrom("users")
              .select([eb.val(userId).as("user_id"), eb.val(normal).as("normal"), eb.val(now).as("update_time")])
              .where("id", "=", userId),
          )
          .onConflict((oc) => oc.column("user_id").doUpdateSet({ normal, update_time: now }))
          .execute();
      }),
  };
}
