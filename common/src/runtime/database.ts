import { Kysely, PostgresDialect, sql } from "kysely";
import { Migrator, type Migration } from "kysely/migration";
import pg from "pg";
import type { Logger } from "../observability/logger";

export interface DatabaseOptions {
  maxConnections?: number;
  // How long a query waits for a connection to be made before it fails (and its RPC answers
  // UNAVAILABLE): a database that does not answer at all must not hang the callers.
  connectTimeoutMs?: number;
  // How long a query may run before the client gives up on it (a half-open TCP connection).
  queryTimeoutMs?: number;
}

// A pg pool that survives its server: a connection the server ends (a restart, a failover,
// pg_terminate_backend) is dropped from the pool and logged, never an unhandled 'error' event that
// would end the process; the next query connects again.
export function createPool(connectionString: string, log: Logger, options: DatabaseOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    keepAlive: true,
  });
  // An idle connection's error: the pool has already removed it.
  pool.on("error", (err) =>
    log.warn({ err: { message: err.message, sqlState: (err as { code?: string }).code } }, "database connection lost"),
  );
  // A checked-out connection's error reaches the query running on it, or the next one; without a
  // listener here, an error between two queries of a transaction would end the process.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

// A kysely database over such a pool (one given, for a process that shares it with another
// library — the auth service's rate limiter — or a new one).
export function createDatabase<DB>(connection: string | pg.Pool, log: Logger, options: DatabaseOptions = {}): Kysely<DB> {
  const pool = typeof connection === "string" ? createPool(connection, log, options) : connection;
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

// Resolves when the database answers a trivial query: the readiness check.
export async function pingDatabase<DB>(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db);
}

// Applies the service's migrations, a frozen name -> {up, down} map, in name order. Kysely's
// migrator takes a lock in the database, so replicas starting together do not race.
export async function migrateToLatest<DB>(db: Kysely<DB>, migrations: Record<string, Migration>): Promise<string[]> {
  // Migrations are written against an untyped database: they describe the schema, not use it.
  const migrator = new Migrator({ db: db as unknown as Kysely<unknown>, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
