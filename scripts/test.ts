// `make test`: starts a throwaway Postgres per service and a Temporal dev server on free ports,
// runs jest against them, and stops everything, whatever the outcome.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { newPayloadKeyEntry } from "@flowshield/common/temporal/payload-codec";
import { startPostgresContainer } from "./postgres-container";
import { ROOT, startInfrastructure, type Infrastructure, type PostgresStarter, type TemporalStarter } from "./stack";
import { startTemporalCluster } from "./temporal-cluster";

// TEMPORAL=cluster: the tests run against the real Temporal server on Cassandra instead of the
// CLI's dev server.
const temporalServer: TemporalStarter | undefined =
  process.env.TEMPORAL === "cluster"
    ? (dir, port) =>
        startTemporalCluster({ dir: path.join(dir, "temporal-cluster"), frontendPort: port, quiet: process.env.CLUSTER_LOGS === undefined })
    : undefined;

// DATABASES=containers: each service's Postgres in a container (testcontainers), for the tests
// that need only databases — `make compose-test` runs the repository tests this way.
const postgresServer: PostgresStarter | undefined =
  process.env.DATABASES === "containers" ? (_dir, database) => startPostgresContainer(database) : undefined;

async function main(): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "flowshield-test-"));
  let infrastructure: Infrastructure | undefined;
  try {
    infrastructure = await startInfrastructure(dir, temporalServer, postgresServer);
    const { authDb, profileDb, temporal } = infrastructure;
    const results = path.join(dir, "jest-results.json");
    const jestArgs = ["--json", `--outputFile=${results}`, ...process.argv.slice(2)];
    const jest = spawn(process.execPath, [require.resolve("jest/bin/jest"), ...jestArgs], {
      cwd: ROOT,
      stdio: "inherit",
      env: {
        ...process.env,
        TEST_AUTH_DATABASE_URL: authDb.url,
        TEST_PROFILE_DATABASE_URL: profileDb.url,
        TEST_TEMPORAL_ADDRESS: temporal.address,
        TEST_TEMPORAL_CLI_DB_DIR: dir,
        // Made for this run, like every other secret the tests use: none is kept in the repository.
        TEST_PAYLOAD_KEYS: `${newPayloadKeyEntry("test-current")},${newPayloadKeyEntry("test-previous")}`,
      },
    });
    const code = await new Promise<number>((resolve) => jest.once("exit", (c) => resolve(c ?? 1)));
    await printTally(results);
    return code;
  } finally {
    await infrastructure?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

// The plain closing line CI reads: "N passed, N failed".
async function printTally(resultsFile: string): Promise<void> {
  try {
    const results = JSON.parse(await readFile(resultsFile, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numRuntimeErrorTestSuites: number;
    };
    // A test file that cannot even load counts as a failure, though it ran no test.
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    console.log(`\n${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped`);
  } catch {
    console.log("\n0 passed, 1 failed (jest wrote no results)");
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
