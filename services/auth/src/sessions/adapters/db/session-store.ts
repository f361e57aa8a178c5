import { sql, type Kysely, type Transaction } from "kysely";
import type { SessionStore } from "../../app/dependencies";
import type { AuthMethod } from "../../../mfa/domain/factor";
import { isSessionLive, withinReuseGrace, type Session } from "../../domain/session";
import { insertAuditEvents } from "../../../audit/adapters/db/audit-log";
import type { AuthDatabase, SessionRow } from "../../../kernel/adapters/db/schema";
import { endUserAccess } from "../../../kernel/adapters/db/user-access";

type Db = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

function sessionFromRow(row: SessionRow): Session {
  return {
    id: row.id,
    userId: row.user_id,
    createTime: row.create_time,
    lastUseTime: row.last_use_time,
    expireTime: row.expire_time,
    ip: row.ip,
    userAgent: row.user_agent,
    ...(row.revoke_time !== null ? { revokeTime: row.revoke_time } : {}),
    amr: row.amr as AuthMethod[],
    ...(row.factor_time !== null ? { factorTime: row.factor_time } : {}),
  };
}

// Revokes one live session (only if it is `ownerId`'s, when given); whether it was live.
async function revokeSession(db: Db, id: string, reason: string, now: Date, ownerId?: string): Promise<boolean> {
  let query = db
    .updateTable("sessions")
    .set({ revoke_time: now, revoke_reason: reason })
    .where("id", "=", id)
    .where("revoke_time", "is", null);
  if (ownerId !== undefined) query = query.where("user_id", "=", ownerId);
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export function createSessionStore(db: Kysely<AuthDatabase>): SessionStore {
  return {
    async start(session, refreshTokenHash, caller, audit) {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto("sessions")
          .values({
            id: session.id,
            user_id: session.userId,
            create_time: session.createTime,
            last_use_time: session.lastUseTime,
            expire_time: session.expireTime,
            ip: session.ip,
            user_agent: session.userAgent,
            amr: session.amr,
            factor_time: session.factorTime ?? null,
          })
          .execute();
        await tx
          .insertInto("refresh_tokens")
          .values({ token_hash: refreshTokenHash, session_id: session.id, create_time: session.createTime })
          .execute();
        await insertAuditEvents(tx, caller, audit, session.createTime);
      });
    },

    async rotate(tokenHash, successorHash, policy, now, caller) {
      // The common case in one statement, one round trip: consume the token (the compare-and-set:
      // concurrent callers queue on the row's lock, and when the first commits the others find
      // consume_time set and update nothing), slide the session's last use if the session is live
      // (the SQL form of isSessionLive), and record the successor.
      const { rows } = await sql<SessionRow>`
        with consumed as (
          update refresh_tokens set consume_time = ${now}
          where token_hash = ${tokenHash} and consume_time is null
          returning session_id
        ), live as (
          update sessions set last_use_time = ${now}
          where id = (select session_id from consumed)
            and revoke_time is null and expire_time > ${now} and last_use_time > ${new Date(now.getTime() - policy.idleTtlMs)}
          returning *
        ), successor as (
          insert into refresh_tokens (token_hash, session_id, create_time) select ${successorHash}, id, ${now} from live
        )
        select * from live`.execute(db);
      const rotated = rows[0];
      if (rotated !== undefined) return { kind: "rotated", session: sessionFromRow(rotated) };

      // Not rotated by this call: an unknown token, a dead session, or a token consumed before.
      return db.transaction().execute(async (tx) => {
        const token = await tx
          .selectFrom("refresh_tokens")
          .select(["session_id", "consume_time"])
          .where("token_hash", "=", tokenHash)
          .executeTakeFirst();
        if (token === undefined) return { kind: "invalid" };
        const row = await tx.selectFrom("sessions").selectAll().where("id", "=", token.session_id).forUpdate().executeTakeFirst();
        if (row === undefined) return { kind: "invalid" };
        const session = sessionFromRow(row);
        if (!isSessionLive(session, policy, now) || token.consume_time === null) return { kind: "invalid" };
        // A concurrent caller within the grace window: the successor the winner recorded.
        if (withinReuseGrace(token.consume_time, now, policy.reuseGraceMs)) return { kind: "grace", session };
        // A consumed token used again after the grace window: someone holds a copy (RFC 9700
        // §4.14.2). Which copy is the thief's cannot be told, so all of the user's access ends
        // (every session, the provider's too), and the event is recorded.
        await endUserAccess(tx, session.userId, "refresh_reused", now);
        await insertAuditEvents(tx, caller, [{ type: "refresh_reused", userId: session.userId, detail: { session_id: session.id } }], now);
        return { kind: "reused", session };
      });
    },

    async endByRefreshToken(tokenHash, reason, caller, audit) {
      return db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom("refresh_tokens")
          .innerJoin("sessions", "sessions.id", "refresh_tokens.session_id")
          .selectAll("sessions")
          .where("refresh_tokens.token_hash", "=", tokenHash)
          .executeTakeFirst();
        if (row === undefined) return false;
        const now = new Date();
        if (!(await revokeSession(tx, row.id, reason, now))) return false;
        await insertAuditEvents(tx, caller, audit(sessionFromRow(row)), now);
        return true;
      });
    },

    endAll: (userId, reason, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const now = new Date();
        await endUserAccess(tx, userId, reason, now);
        await insertAuditEvents(tx, caller, audit, now);
      }),

    async revoke(userId, sessionId, reason, caller, audit) {
      return db.transaction().execute(async (tx) => {
        const now = new Date();
        if (!(await revokeSession(tx, sessionId, reason, now, userId))) return false;
        await insertAuditEvents(tx, caller, audit, now);
        return true;
      });
    },

    async markFactor(sessionId, amr, now) {
      const result = await db
        .updateTable("sessions")
        .set({ amr, factor_time: now })
        .where("id", "=", sessionId)
        .where("revoke_time", "is", null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async findLive(sessionId, policy, now) {
      const row = await db.selectFrom("sessions").selectAll().where("id", "=", sessionId).executeTakeFirst();
      const session = row === undefined ? undefined : sessionFromRow(row);
      return session !== undefined && isSessionLive(session, policy, now) ? session : undefined;
    },

    async listLive(userId, policy, now) {
      const rows = await db
        .selectFrom("sessions")
        .selectAll()
        .where("user_id", "=", userId)
        .where("revoke_time", "is", null)
        .where("expire_time", ">", now)
        .where("last_use_time", ">", new Date(now.getTime() - policy.idleTtlMs))
        .orderBy("last_use_time", "desc")
        .execute();
      return rows.map(sessionFromRow);
    },
  };
}
