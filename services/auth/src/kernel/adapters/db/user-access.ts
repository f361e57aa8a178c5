import type { Kysely, Transaction } from "kysely";
import { deleteOidcPayloadsOfAccount } from "../../../oauth/adapters/db/oidc-store";
import type { AuthDatabase } from "./schema";

type Db = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

// One session model: a user's access is every first-party session *and* everything the OpenID
// provider holds for them — browser sessions, grants, codes, refresh and opaque access tokens.
// Every way access ends (a password reset or change, a disabled, expired or removed account, a
// refresh token replayed, signing out everywhere) ends all of it here, inside the transaction of
// the change that ends it: the first-party session that asked may be kept (ChangePassword).
// Only the provider's JWT access tokens for resource servers outlive it, by their minutes.
export async function endUserAccess(db: Db, userId: string, reason: string, now: Date, keepSessionId?: string): Promise<void> {
  await revokeSessionsOfUser(db, userId, keepSessionId, reason, now);
  await deleteOidcPayloadsOfAccount(db, userId);
}

// Revokes every live session of a user but one; the number revoked.
async function revokeSessionsOfUser(db: Db, userId: string, keep: string | undefined, reason: string, now: Date): Promise<number> {
  let query = db
    .updateTable("sessions")
    .set({ revoke_time: now, revoke_reason: reason })
    .where("user_id", "=", userId)
    .where("revoke_time", "is", null);
  if (keep !== undefined) query = query.where("id", "<>", keep);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
