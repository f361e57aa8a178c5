import { sql, type Kysely } from "kysely";
import { insertAuditEvents } from "../../../audit/adapters/db/audit-log";
import type { AuthDatabase } from "../../../kernel/adapters/db/schema";
import type { RiskReason } from "../../domain/reasons";
import type { RegistrationAssessment, RegistrationAssessments } from "../../app/dependencies";

// An assessment is needed while its saga runs; those older than a day are purged, a few at a
// time, whenever a new one is stored.
const KEPT_MS = 24 * 60 * 60 * 1000;

export function createRegistrationRiskStore(db: Kysely<AuthDatabase>): RegistrationAssessments {
  const find = async (userId: string, on: Kysely<AuthDatabase> = db): Promise<RegistrationAssessment | undefined> => {
    const row = await on.selectFrom("registration_risk").selectAll().where("user_id", "=", userId).executeTakeFirst();
    return row === undefined
      ? undefined
      : { decision: row.decision, score: row.score, reasons: row.reasons as RiskReason[], policyVersion: row.policy_version };
  };
  return {
    find: (userId) => find(userId),
    insertIfAbsent: (userId, assessment, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const now = new Date();
        const inserted = await tx
          .insertInto("registration_risk")
          .values({
            user_id: userId,
            decision: assessment.decision,
            score: assessment.score,
            reasons: assessment.reasons,
            policy_version: assessment.policyVersion,
            create_time: now,
          })
          .onConflict((oc) => oc.column("user_id").doNothing())
          .returning("user_id")
          .executeTakeFirst();
        if (inserted === undefined) return { assessment: (await find(userId, tx))!, inserted: false };
        await insertAuditEvents(tx, caller, audit, now);
        await sql`delete from registration_risk where user_id in (
            select user_id from registration_risk where create_time < ${new Date(now.getTime() - KEPT_MS)}
            order by create_time limit 20 for update skip locked)`.execute(tx);
        return { assessment, inserted: true };
      }),
  };
}
