import { sql, type Kysely } from "kysely";
import type { PasskeyStore } from "../../app/dependencies";
import type { PasskeyFactor } from "../../domain/passkey";
import { insertAuditEvents } from "../../../audit/adapters/db/audit-log";
import type { AuthDatabase } from "../../../kernel/adapters/db/schema";
import { endUserAccess } from "../../../kernel/adapters/db/user-access";
import { storeRecoveryCodesUnlessLive } from "../../../mfa/adapters/db/factor-store";
import { factorFromRow } from "../../../mfa/adapters/db/factor-rows";

// Passkeys are rows of the factors table (type 'passkey').
export function createPasskeyStore(db: Kysely<AuthDatabase>): PasskeyStore {
  return {
    async findByCredentialId(credentialId) {
      const row = await db
        .selectFrom("factors")
        .selectAll()
        .where("credential_id", "=", credentialId)
        .where("confirm_time", "is not", null)
        .executeTakeFirst();
      const factor = row === undefined ? undefined : factorFromRow(row);
      return factor?.type === "passkey" ? (factor as PasskeyFactor) : undefined;
    },

    add: (passkey, recoveryCodeHashes, keepSessionId, caller, audit) =>
      db.transaction().execute(async (tx) => {
        const now = new Date();
        await tx
          .insertInto("factors")
          .values({
            id: passkey.id,
            user_id: passkey.userId,
            type: "passkey",
            name: passkey.name,
            create_time: passkey.createTime,
            confirm_time: now,
            credential_id: passkey.credentialId,
            public_key: Buffer.from(passkey.publicKey),
            sign_count: passkey.counter,
            transports: passkey.transports,
            backed_up: passkey.backedUp,
            device_type: passkey.deviceType,
          })
          .execute();
        const recoveryCodesStored = await storeRecoveryCodesUnlessLive(tx, passkey.userId, recoveryCodeHashes);
        await endUserAccess(tx, passkey.userId, "factor_enrolled", now, keepSessionId);
        await insertAuditEvents(tx, caller, audit, now);
        return { recoveryCodesStored };
      }),

    async spend(factorId, counter, backedUp, now) {
      const result = await db
        .updateTable("factors")
        .set({ sign_count: counter, backed_up: backedUp, last_use_time: now })
        .where("id", "=", factorId)
        // Parenthesised: a raw condition is and-ed as written (see the factor store's spendTotpStep).
        .where(sql<boolean>`((sign_count = 0 and ${counter} = 0) or sign_count < ${counter})`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
