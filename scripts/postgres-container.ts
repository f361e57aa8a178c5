// A Postgres in a container, through testcontainers' PostgreSqlContainer: what `make test` runs
// the repository tests on when DATABASES=containers (`make compose-test`, or a laptop with Docker),
// instead of the embedded Postgres. The image is the one docker-compose.yml runs.
import { randomBytes } from "node:crypto";
import { PostgreSqlContainer } from "@testcontainers/postgresql";
import type { RunningPostgres } from "./postgres";

export const POSTGRES_IMAGE = "postgres:17";

export async function startPostgresContainer(database: string): Promise<RunningPostgres> {
  const container = await new PostgreSqlContainer(POSTGRES_IMAGE)
    .withDatabase(database)
    .withUsername(database)
    .withPassword(randomBytes(16).toString("hex"))
    .start();
  const url = (db: string) => {
    const u = new URL(container.getConnectionUri());
    u.pathname = `/${db}`;
    return u.toString();
  };
  return {
    url: url(database),
    adminUrl: url("postgres"),
    stop: async () => {
      await container.stop();
    },
    kill: async () => {
      await container.stop({ timeout: 0 });
    },
    // The container and its data are gone once stopped: the tests that restart a database (the
    // fault suite) run on the embedded Postgres.
    start: () => Promise.reject(new Error("a Postgres container is not started again; use the embedded Postgres")),
  };
}
