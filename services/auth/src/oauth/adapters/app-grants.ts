import { sql, type Kysely } from "kysely";
import type { AppGrants } from "../app/dependencies";
import { insertAuditEvents } from "../../audit/adapters/db/audit-log";
import type { AuthDatabase } from "../../kernel/adapters/db/schema";

// The provider's grants as a user sees them: its Grant rows (oidc_payloads, named by account since
// migration 0005) with their client's name. Withdrawing one deletes every row of that client for
// the user — the grant, its refresh and access tokens, its codes — so nothing of it can be used
// again; the browser session stays, and asks for consent next time.
interface GrantPayload {
  clientId?: string;
  openid?: { scope?: string };
}

export function createAppGrants(db: Kysely<AuthDatabase>): AppGrants {
  return {
    async list(userId) {
      const rows = await db
        .selectFrom("oidc_payloads as g")
        .leftJoin("oidc_payloads as c", (join) => join.on("c.model", "=", "Client").onRef("c.id", "=", sql`g.payload->>'clientId'`))
        .select(["g.payload as grant", "c.payload as client", "g.create_time"])
        .where("g.model", "=", "Grant")
        .where("g.account_id", "=", userId)
        .where((eb) => eb.or([eb("g.expire_time", "is", null), eb("g.expire_time", ">", sql<Date>`now()`)]))
        .orderBy("g.create_time", "desc")
        .execute();
      return rows.map((row) => {
        const grant = row.grant as GrantPayload;
        const client = (row.client ?? {}) as { client_name?: string };
        return {
          clientId: grant.clientId ?? "",
          clientName: client.client_name ?? "",
          scopes: (grant.openid?.scope ?? "").split(" ").filter((s) => s !== ""),
          createTime: row.create_time,
        };
      });
    },

    revoke: (userId, clientId, caller, audit) =>
      db.transaction().execute(async (tx) => {
        await tx
          .deleteFrom("oidc_payloads")
          .where("account_id", "=", userId)
          .where(sql<boolean>`payload->>'clientId' = ${clientId}`)
          .execute();
        await insertAuditEvents(tx, caller, audit);
      }),
  };
}
