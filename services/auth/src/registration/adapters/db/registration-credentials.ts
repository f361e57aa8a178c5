import type { Kysely } from "kysely";
import type { RegistrationCredentials } from "../../app/dependencies";
import type { AuthDatabase } from "../../../kernel/adapters/db/schema";

// A credential nobody took within this long belongs to a registration that never reached
// CreateUser (its saga failed to start, or was refused): it is purged on the next store.
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

export function createRegistrationCredentials(db: Kysely<AuthDatabase>): RegistrationCredentials {
  return {
    async store(userId, passwordHash) {
      await db
        .deleteFrom("registration_credentials")
        .where("create_time", "<", new Date(Date.now() - ABANDONED_AFTER_MS))
        .execute();
      await db.insertInto("registration_credentials").values({ user_id: userId, password_hash: passwordHash }).execute();
    },
    async find(userId) {
      const row = await db.selectFrom("registration_credentials").select("password_hash").where("user_id", "=", userId).executeTakeFirst();
      return row?.password_hash;
    },
    async discard(userId) {
      await db.deleteFrom("registration_credentials").where("user_id", "=", userId).execute();
    },
  };
}
