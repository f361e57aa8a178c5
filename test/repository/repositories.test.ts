import { createDatabase, migrateToLatest } from "@flowshield/common/runtime/database";
import { authMigrations } from "@flowshield/auth/db";
import type { AuthDatabase } from "@flowshield/auth/db";
import { deleteUserById, findUserByEmail, findUserById, insertUserIfAbsent } from "@flowshield/auth/db";
import { findOldestSigningKey, insertSigningKey } from "@flowshield/auth/db";
import { profileMigrations } from "@flowshield/profile/db";
import type { ProfileDatabase } from "@flowshield/profile/db";
import {
  deleteProfileByUserId,
  findProfileByUserId,
  findProfileByUsername,
  insertProfileIfAbsent,
  updateProfileByUserId,
} from "@flowshield/profile/db";
import { testEnv, uniqueEmail, uniqueUsername } from "../support/env";
import { quietLog } from "../support/stack";

// The repositories against the real Postgres of each service, migrated as the services migrate it.

const authDb = createDatabase<AuthDatabase>(testEnv.authDatabaseUrl(), quietLog, { maxConnections: 2 });
const profileDb = createDatabase<ProfileDatabase>(testEnv.profileDatabaseUrl(), quietLog, { maxConnections: 2 });
beforeAll(async () => {
  await migrateToLatest(authDb, authMigrations);
  await migrateToLatest(profileDb, profileMigrations);
});
afterAll(async () => {
  await Promise.all([authDb.destroy(), profileDb.destroy()]);
});

const newUser = (email = uniqueEmail()) => ({ id: crypto.randomUUID(), email, password_hash: "$2b$04$x", status: "active" as const });

describe("auth user repository", () => {
  test("migrating again applies nothing", async () => {
    expect(await migrateToLatest(authDb, authMigrations)).toEqual([]);
  });

  test("inserts once; a second insert of the same id or email inserts nothing", async () => {
    const user = newUser();
    const row = await insertUserIfAbsent(authDb, user);
    expect(row).toMatchObject({ id: user.id, email: user.email, status: "active" });
    expect(await insertUserIfAbsent(authDb, user)).toBeUndefined();
    expect(await insertUserIfAbsent(authDb, { ...newUser(), email: user.email })).toBeUndefined();
    expect((await findUserByEmail(authDb, user.email))?.id).toBe(user.id);
  });

  test("the unique index on email holds against a plain insert", async () => {
    const user = newUser();
    await insertUserIfAbsent(authDb, user);
    const err = await authDb
      .insertInto("users")
      .values({ ...newUser(), email: user.email })
      .execute()
      .catch((e: unknown) => e);
    // SQLSTATE 23505: unique_violation, naming the index.
    expect(err).toMatchObject({ code: "23505", constraint: "users_email_key" });
  });

  test("the status column refuses values outside the enum", async () => {
    const err = await authDb
      .insertInto("users")
      .values({ ...newUser(), status: "banned" as "active" })
      .execute()
      .catch((e: unknown) => e);
    expect(String(err)).toMatch(/check constraint/);
  });

  test("delete reports whether it deleted", async () => {
    const user = newUser();
    await insertUserIfAbsent(authDb, user);
    expect(await deleteUserById(authDb, user.id)).toBe(true);
    expect(await deleteUserById(authDb, user.id)).toBe(false);
    expect(await findUserById(authDb, user.id)).toBeUndefined();
  });

  test("signing keys: the oldest key wins and a duplicate kid is ignored", async () => {
    // In a transaction that is rolled back: the auth services of other test files share this table.
    const rolledBack = new Error("roll back");
    const outcome = await authDb
      .transaction()
      .execute(async (trx) => {
        const before = await findOldestSigningKey(trx);
        await insertSigningKey(trx, `kid-${uniqueUsername()}`, { kty: "OKP", d: "x" });
        const oldest = await findOldestSigningKey(trx);
        expect(oldest).toBeDefined();
        if (before !== undefined) expect(oldest?.kid).toBe(before.kid);
        await insertSigningKey(trx, oldest!.kid, { other: true });
        expect((await findOldestSigningKey(trx))?.private_jwk).toEqual(oldest?.private_jwk);
        throw rolledBack;
      })
      .catch((err: unknown) => err);
    expect(outcome).toBe(rolledBack);
  });
});

describe("profile repository", () => {
  const newProfile = (username = uniqueUsername()) => ({
    id: crypto.randomUUID(),
    user_id: crypto.randomUUID(),
    username,
    display_name: "Ada",
    bio: "",
  });

  test("one profile per user and per username", async () => {
    const profile = newProfile();
    expect(await insertProfileIfAbsent(profileDb, profile)).toMatchObject({ user_id: profile.user_id });
    expect(await insertProfileIfAbsent(profileDb, { ...newProfile(), user_id: profile.user_id })).toBeUndefined();
    expect(await insertProfileIfAbsent(profileDb, { ...newProfile(), username: profile.username })).toBeUndefined();
    expect((await findProfileByUsername(profileDb, profile.username))?.id).toBe(profile.id);
  });

  test("the table refuses a username that is not lower-case", async () => {
    const err = await profileDb
      .insertInto("profiles")
      .values(newProfile("Ada_Upper"))
      .execute()
      .catch((e: unknown) => e);
    expect(String(err)).toMatch(/check constraint/);
  });

  test("update changes only the given columns; delete is idempotent", async () => {
    const profile = newProfile();
    await insertProfileIfAbsent(profileDb, profile);
    const updated = await updateProfileByUserId(profileDb, profile.user_id, { bio: "hello", update_time: new Date() });
    expect(updated).toMatchObject({ bio: "hello", display_name: "Ada" });
    expect(await updateProfileByUserId(profileDb, crypto.randomUUID(), { bio: "x" })).toBeUndefined();
    expect(await deleteProfileByUserId(profileDb, profile.user_id)).toBe(true);
    expect(await deleteProfileByUserId(profileDb, profile.user_id)).toBe(false);
    expect(await findProfileByUserId(profileDb, profile.user_id)).toBeUndefined();
  });
});
