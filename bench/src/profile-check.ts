import type { Kysely } from "kysely";
import { createDatabase } from "@flowshield/common/runtime/database";
import { createLogger } from "@flowshield/common/observability/logger";
import type { AuthDatabase } from "@flowshield/auth/db";
import type { ProfileDatabase } from "@flowshield/profile/db";

export interface ProfileCheck {
  // Users the benchmark was told were registered.
  registered: number;
  // Of those, users the auth database does not have.
  missingUsers: string[];
  // Users in the auth database with no profile in the profile database: half-made accounts.
  withoutProfile: string[];
}

// After a run: every registration that answered OK left a user and its profile, and no user in
// the whole auth database is without a profile.
export async function checkRegistrations(
  authDb: Kysely<AuthDatabase>,
  profileDb: Kysely<ProfileDatabase>,
  registeredIds: Iterable<string>,
): Promise<ProfileCheck> {
  const users = new Set((await authDb.selectFrom("users").select("id").execute()).map((r) => r.id));
  const profiles = new Set((await profileDb.selectFrom("profiles").select("user_id").execute()).map((r) => r.user_id));
  const registered = [...new Set(registeredIds)];
  return {
    registered: registered.length,
    missingUsers: registered.filter((id) => !users.has(id)),
    withoutProfile: [...users].filter((id) => !profiles.has(id)),
  };
}

export function checkPassed(check: ProfileCheck): boolean {
  return check.missingUsers.length === 0 && check.withoutProfile.length === 0;
}

// The same check on a bench stack's two databases, each through a connection of its own.
export async function checkRegistrationsOf(
  stack: { authDatabaseUrl: string; profileDatabaseUrl: string },
  registeredIds: Iterable<string>,
): Promise<ProfileCheck> {
  const log = createLogger("bench", "warn");
  const authDb = createDatabase<AuthDatabase>(stack.authDatabaseUrl, log, { maxConnections: 1 });
  const profileDb = createDatabase<ProfileDatabase>(stack.profileDatabaseUrl, log, { maxConnections: 1 });
  return checkRegistrations(authDb, profileDb, registeredIds).finally(() => Promise.all([authDb.destroy(), profileDb.destroy()]));
}
