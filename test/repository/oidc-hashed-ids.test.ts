import { Kysely, sql } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import { createDatabase } from "@flowshield/common/runtime/database";
import { authMigrations, findOidcPayload, type AuthDatabase } from "@flowshield/auth/db";
import { testEnv } from "../support/env";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database";
import { quietLog } from "../support/stack";

// Migration 0005 on a database that holds the provider's rows as 0004 stored them: ids and the
// payloads' `jti` in the clear. Afterwards neither is in the table, and the provider still finds
// each row by the value its holder presents.

let scratch: ScratchDatabase;
let db: Kysely<AuthDatabase>;
beforeAll(async () => {
  scratch = await createScratchDatabase(testEnv.authDatabaseUrl(), "oidc_hashed_ids");
  db = createDatabase<AuthDatabase>(scratch.url, quietLog);
});
afterAll(async () => {
  await db?.destroy();
  await scratch?.drop();
});

function migrator(upTo: string): Migrator {
  const migrations: Record<string, Migration> = Object.fromEntries(Object.entries(authMigrations).filter(([name]) => name <= upTo));
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

test("0005 hashes the ids and drops the jti of existing rows, leaves clients alone, and names each row's account", async () => {
  expect((await migrator("0004_oidc").migrateToLatest()).error).toBeUndefined();
  const token = "plain-refresh-token-value-0123456789";
  await sql`insert into oidc_payloads (model, id, payload, grant_id) values
    ('RefreshToken', ${token}, ${JSON.stringify({ jti: token, accountId: "acc-1", grantId: "g1" })}::jsonb, 'g1'),
    ('Client', 'client-1', ${JSON.stringify({ client_id: "client-1" })}::jsonb, null)`.execute(db);

  expect((await migrator("0005_oidc_hashed_ids").migrateToLatest()).error).toBeUndefined();
  const { rows } = await sql<{ model: string; id: string; payload: string; account_id: string | null }>`
    select model, id, payload::text as payload, account_id from oidc_payloads order by model`.execute(db);
  expect(rows.map((r) => r.model)).toEqual(["Client", "RefreshToken"]);
  expect(rows[0]).toMatchObject({ id: "client-1", account_id: null });
  expect(rows[1]?.id).not.toBe(token);
  expect(rows[1]?.payload).not.toContain(token);
  expect(rows[1]?.account_id).toBe("acc-1");
  // Found by what the client presents, with its jti as the provider expects it.
  expect((await findOidcPayload(db, "RefreshToken", "id", token))?.payload).toMatchObject({ jti: token, accountId: "acc-1" });
  expect((await findOidcPayload(db, "Client", "id", "client-1"))?.payload).toMatchObject({ client_id: "client-1" });
});
