import type { Kysely, Transaction } from "kysely";
import type { UserRepository } from "../../app/dependencies";
import { insertAuditEvents } from "../../../audit/adapters/db/audit-log";
import type { AuthDatabase, NewUserRow, UserRow } from "./schema";
import { deleteOidcPayloadsOfAccount } from "../../../oauth/adapters/db/oidc-store";
import { endUserAccess } from "./user-access";
import { userFromRow, userToRow } from "./user-rows";

type Db = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

// Inserts a user unless one with that id or email exists; returns the new row, or undefined when
// nothing was inserted (the caller then finds out which of the two it was).
export async function insertUserIfAbsent(db: Db, user: NewUserRow): Promise<UserRow | undefined> {
  return db
    .insertInto("users")
    .values(user)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

// Returns whether a row was deleted; deleting a missing user is not an error.
// The user and, with it, everything that was theirs: the provider's rows here, the rest by the
// tables' cascades.
export async function deleteUserById(db: Kysely<AuthDatabase>, id: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    await deleteOidcPayloadsOfAccount(tx, id);
    const result = await tx.deleteFrom("users").where("id", "=", id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  });
}

// The use cases' UserRepository over these queries.
export function createUserRepository(db: Kysely<AuthDatabase>): UserRepository {
  const user = (row: UserRow | undefined) => (row === undefined ? undefined : userFromRow(row));
  return {
    findById: async (id) => user(await findUserById(db, id)),
    findByEmail: async (email) => user(await findUserByEmail(db, email)),
    insertIfAbsent: async (u) => user(await insertUserIfAbsent(db, userToRow(u))),
    deleteById: (id) => deleteUserById(db, id),

    activate: (id, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const now = new Date();
        const activated = await tx
          .updateTable("users")
          .set({ status: "active", update_time: now })
          .where("id", "=", id)
          .where("status", "=", "pending")
          .returningAll()
          .executeTakeFirst();
        // Audited only by the call that made the change: a retried activation records nothing twice.
        if (activated !== undefined) await insertAuditEvents(tx, caller, audit, now);
        return user(activated ?? (await findUserById(tx, id)));
      }),

    expireUnverified: (id, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom("users").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
        if (row === undefined || row.status === "disabled") return "expired";
        if (row.email_verified) return "verified";
        const now = new Date();
        await tx.updateTable("users").set({ status: "disabled", update_time: now }).where("id", "=", id).execute();
        await endUserAccess(tx, id, "account_expired", now);
        await insertAuditEvents(tx, caller, audit, now);
        return "expired";
      }),

    setDisabled: (id, disabled, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const now = new Date();
        const [from, to] = disabled ? (["active", "disabled"] as const) : (["disabled", "active"] as const);
        const changed = await tx
          .updateTable("users")
          .set({ status: to, update_time: now })
          .where("id", "=", id)
          .where("status", "=", from)
          .returningAll()
          .executeTakeFirst();
        if (changed === undefined) return user(await findUserById(tx, id));
        if (disabled) await endUserAccess(tx, id, "user_disabled", now);
        await insertAuditEvents(tx, caller, audit, now);
        return user(changed);
      }),

    changePassword: (id, passwordHash, keepSessionId, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const now = new Date();
        await tx.updateTable("users").set({ password_hash: passwordHash, update_time: now }).where("id", "=", id).execute();
        await endUserAccess(tx, id, "password_changed", now, keepSessionId);
        await insertAuditEvents(tx, caller, audit, now);
      }),
  };
}
