import { sql, type Kysely } from "kysely";
import type { ChallengeStore } from "../../app/dependencies";
import { CHALLENGE_MAX_FAILURES } from "../../domain/challenge";
import type { AuthMethod, SecondStepKind } from "../../domain/factor";
import type { AuthDatabase } from "../../../kernel/adapters/db/schema";

// The second step's challenges, by the hash of their id. Expired ones are deleted as new ones are
// made (a few rows at a time, by the expiry index, skipping rows another purge holds), so the
// table holds only the last minutes'.
export function createChallengeStore(db: Kysely<AuthDatabase>): ChallengeStore {
  return {
    // One round trip: the insert, and the purge of a few expired challenges beside it.
    async create(idHash, challenge) {
      await sql`with purged as (
          delete from mfa_challenges where id_hash in (
            select id_hash from mfa_challenges where expire_time < now() order by expire_time limit 20 for update skip locked))
        insert into mfa_challenges (id_hash, purpose, user_id, session_id, amr, kinds, webauthn_challenge, expire_time)
        values (${idHash}, ${challenge.purpose}, ${challenge.userId ?? null}, ${challenge.sessionId ?? null}, ${challenge.amr},
          ${challenge.kinds}, ${challenge.webauthnChallenge ?? null}, ${challenge.expireTime})`.execute(db);
    },

    async claim(idHash, purposes, now) {
      const row = await db
        .updateTable("mfa_challenges")
        .set({ claim_time: now })
        .where("id_hash", "=", idHash)
        .where("claim_time", "is", null)
        .where("expire_time", ">", now)
        .where("purpose", "in", purposes)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        purpose: row.purpose,
        ...(row.user_id !== null ? { userId: row.user_id } : {}),
        ...(row.session_id !== null ? { sessionId: row.session_id } : {}),
        ...(row.webauthn_challenge !== null ? { webauthnChallenge: row.webauthn_challenge } : {}),
        amr: row.amr as AuthMethod[],
        kinds: row.kinds as SecondStepKind[],
        expireTime: row.expire_time,
      };
    },

    async release(idHash) {
      await db
        .updateTable("mfa_challenges")
        .set((eb) => ({
          failures: eb("failures", "+", 1),
          claim_time: sql<Date | null>`case when failures + 1 >= ${CHALLENGE_MAX_FAILURES} then claim_time else null end`,
        }))
        .where("id_hash", "=", idHash)
        .execute();
    },
  };
}
