import { sql, type Kysely } from "kysely";
import type { ChallengeStore } from "../../app/dependencies";
import { CHALLENGE_MAX_FAILURES } from "../../domain/challenge";
import type { AuthMethod, SecondStepKind } from "../../domain/factor";
import type { AuthDatabase } from "../../../kernel/adapters/db/schema";

// The second step's challenges, by the hash of their id. Expired ones are deleted as new ones are
// made (a few rows at a time, by the expiry index), so the table holds only the last minutes'.
export function createChallengeStore(db: Kysely<AuthDatabase>): ChallengeStore {
  return {
    async create(idHash, challenge) {
      await sql`delete from mfa_challenges where id_hash in (
        select id_hash from mfa_challenges where expire_time < now() order by expire_time limit 20)`.execute(db);
      await db
        .insertInto("mfa_challenges")
        .values({
          id_hash: idHash,
          purpose: challenge.purpose,
          user_id: challenge.userId ?? null,
          session_id: challenge.sessionId ?? null,
          webauthn_challenge: challenge.webauthnChallenge ?? null,
          amr: challenge.amr,
          kinds: challenge.kinds,
          expire_time: challenge.expireTime,
        })
        .execute();
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
