import type { Kysely, Transaction } from "kysely";
import type { ProfileRepository } from "../../app/dependencies";
import { changesToRow, profileFromRow, profileToRow } from "./profile-rows";
import type { NewProfileRow, ProfileDatabase, ProfileRow, ProfileRowUpdate } from "./schema";

type Db = Kysely<ProfileDatabase> | Transaction<ProfileDatabase>;

// Inserts a profile unless its user already has one or its username is taken; returns the new
// row, or undefined when nothing was inserted.
export async function insertProfileIfAbsent(db: Db, profile: NewProfileRow): Promise<ProfileRow | undefined> {
  return db
    .insertInto("profiles")
    .values(profile)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findProfileByUserId(db: Db, userId: string): Promise<ProfileRow | undefined> {
  return db.selectFrom("profiles").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

export async function findProfileByUsername(db: Db, username: string): Promise<ProfileRow | undefined> {
  return db.selectFrom("profiles").selectAll().where("username", "=", username).executeTakeFirst();
}

export async function updateProfileByUserId(db: Db, userId: string, changes: ProfileRowUpdate): Promise<ProfileRow | undefined> {
  return db.updateTable("profiles").set(changes).where("user_id", "=", userId).returningAll().executeTakeFirst();
}

export async function deleteProfileByUserId(db: Db, userId: string): Promise<boolean> {
  const result = await db.deleteFrom("profiles").where("user_id", "=", userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

// The use cases' ProfileRepository over these queries.
export function createProfileRepository(db: Kysely<ProfileDatabase>): ProfileRepository {
  const profile = (row: ProfileRow | undefined) => (row === undefined ? undefined : profileFromRow(row));
  return {
    findByUserId: async (userId) => profile(await findProfileByUserId(db, userId)),
    findByUsername: async (username) => profile(await findProfileByUsername(db, username)),
    insertIfAbsent: async (p) => profile(await insertProfileIfAbsent(db, profileToRow(p))),
    updateByUserId: async (userId, changes, now) => profile(await updateProfileByUserId(db, userId, changesToRow(changes, now))),
    deleteByUserId: (userId) => deleteProfileByUserId(db, userId),
  };
}
