import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { AuditLog } from "../../app/dependencies";
import type { AuditEventType, AuditRecord, Caller } from "../../domain/audit";
import type { AuthDatabase, AuditEventRow } from "../../../kernel/adapters/db/schema";

type Db = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

// Writes audit events on the connection (or inside the transaction) it is given: the repositories
// call this inside the transaction of the change an event records.
export async function insertAuditEvents(db: Db, caller: Caller, records: AuditRecord[], time = new Date()): Promise<void> {
  if (records.length === 0) return;
  await db
    .insertInto("audit_events")
    .values(auditRows(caller, records, time))
    .execute();
}

function auditRows(caller: Caller, records: AuditRecord[], time: Date) {
  return records.map((r) => ({
    id: randomUUID(),
    time,
    type: r.type,
    user_id: r.userId ?? null,
    request_id: caller.requestId,
    ip: caller.ip,
    user_agent: caller.userAgent,
    detail: JSON.stringify(r.detail ?? {}),
  }));
}

// Events recorded on their own (not with a change, in its transaction: insertAuditEvents) within
// a turn of the event loop are written by one insert — under load, one commit for many grants
// instead of one each. Each record() still resolves once its events are stored.
function batchedRecords(db: Kysely<AuthDatabase>): (caller: Caller, records: AuditRecord[]) => Promise<void> {
  let batch: { rows: ReturnType<typeof auditRows>; stored: Promise<void> } | undefined;
  return (caller, records) => {
    if (records.length === 0) return Promise.resolve();
    if (batch === undefined) {
      const rows: ReturnType<typeof auditRows> = [];
      const stored = new Promise<void>((resolve, reject) =>
        setImmediate(() => {
          batch = undefined;
          db.insertInto("audit_events")
            .values(rows)
            .execute()
            .then(() => resolve(), reject);
        }),
      );
      batch = { rows, stored };
    }
    batch.rows.push(...auditRows(caller, records, new Date()));
    return batch.stored;
  };
}

export function createAuditLog(db: Kysely<AuthDatabase>): AuditLog {
  return {
    record: batchedRecords(db),
    async list({ userId, type, after, limit }) {
      let query = db.selectFrom("audit_events").selectAll();
      if (userId !== undefined) query = query.where("user_id", "=", userId);
      if (type !== undefined) query = query.where("type", "=", type);
      // Keyset paging, newest first: (time, id) below the last one seen.
      if (after !== undefined) {
        query = query.where((eb) => eb.or([eb("time", "<", after.time), eb.and([eb("time", "=", after.time), eb("id", "<", after.id)])]));
      }
      const rows = await query.orderBy("time", "desc").orderBy("id", "desc").limit(limit).execute();
      return rows.map(auditEventFromRow);
    },
  };
}

function auditEventFromRow(row: AuditEventRow) {
  return {
    id: row.id,
    time: row.time,
    type: row.type as AuditEventType,
    ...(row.user_id !== null ? { userId: row.user_id } : {}),
    requestId: row.request_id,
    ip: row.ip,
    userAgent: row.user_agent,
    detail: row.detail as Record<string, string | number | boolean | string[]>,
  };
}
