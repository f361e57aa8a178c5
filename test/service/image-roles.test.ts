import { spawn } from "node:child_process";
import * as path from "node:path";
import pg from "pg";
import { startAuthService } from "@flowshield/auth/server";
import { freePort } from "../../scripts/free-port";
import { SERVICE_CREDENTIAL, testEnv, uniqueSuffix } from "../support/env";
import { createScratchDatabase } from "../support/scratch-database";
import { quietLog, testAuthConfig, useFullStack } from "../support/stack";
import { runProgram, type Exit } from "../support/process";
import { waitUntil } from "../support/wait";

// The image's two helper roles, as its HEALTHCHECK and its migration jobs run them (the bundles
// are built from these same files): services/healthcheck.ts and services/migrate.ts.

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, "..", "..");
const stack = useFullStack();

const runTs = (file: string, args: string[], env: NodeJS.ProcessEnv) =>
  runProgram(process.execPath, ["--import", "tsx", path.join(ROOT, file), ...args], { cwd: ROOT, env });

const healthcheck = (args: string[], env: NodeJS.ProcessEnv = {}) => runTs("services/healthcheck.ts", args, env);
const portOf = (url: string) => new URL(url).port;

describe("dist/healthcheck.js", () => {
  test("exits 0 for a serving auth and profile, on the ports their own variables name", async () => {
    expect(await healthcheck(["auth"], { AUTH_PUBLIC_PORT: portOf(stack().auth.publicUrl) })).toEqual({
      code: 0,
      output: "auth: SERVING\n",
    });
    expect((await healthcheck(["profile"], { PROFILE_PUBLIC_PORT: portOf(stack().profile.publicUrl) })).code).toBe(0);
  });

  test("exits 1 when nothing answers, and when the process drains", async () => {
    const nobody = await healthcheck(["auth"], { AUTH_PUBLIC_PORT: String(await freePort()) });
    expect(nobody.code).toBe(1);
    expect(nobody.output).toMatch(/ECONNREFUSED|unavailable/i);

    const draining = await startAuthService(testAuthConfig(), quietLog);
    try {
      draining.health.drain();
      expect(await healthcheck(["auth"], { AUTH_PUBLIC_PORT: portOf(draining.publicUrl) })).toEqual({
        code: 1,
        output: "auth: NOT_SERVING\n",
      });
    } finally {
      await draining.close();
    }
  });

  test("a migration job has nothing to report; a role it does not know fails", async () => {
    expect((await healthcheck(["migrate"])).code).toBe(0);
    const unknown = await healthcheck(["nonsense"]);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain("no health service for role nonsense");
  });

  test("the worker process serves health while it polls its task queue, and not once it has stopped", async () => {
    const healthPort = String(await freePort());
    const worker = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "workflows/src/main.ts")], {
      cwd: ROOT,
      env: {
        ...process.env,
        SERVICE_CREDENTIAL,
        PAYLOAD_KEYS: process.env.TEST_PAYLOAD_KEYS,
        TEMPORAL_ADDRESS: testEnv.temporalAddress(),
        TEMPORAL_TASK_QUEUE: `health-${uniqueSuffix()}`,
        AUTH_INTERNAL_URL: stack().auth.internalUrl,
        PROFILE_INTERNAL_URL: stack().profile.internalUrl,
        WORKER_HEALTH_PORT: healthPort,
        WORKER_METRICS_PORT: String(await freePort()),
        WORKER_SDK_METRICS_PORT: String(await freePort()),
        LOG_LEVEL: "warn",
      },
      stdio: "ignore",
    });
    try {
      let last: Exit | undefined;
      await waitUntil(async () => (last = await healthcheck(["worker"], { WORKER_HEALTH_PORT: healthPort })).code === 0, 60_000, 500);
      expect(last).toEqual({ code: 0, output: "worker: SERVING\n" });
    } finally {
      worker.kill("SIGTERM");
    }
    expect(await new Promise((resolve) => worker.once("exit", resolve))).toBe(0);
    expect((await healthcheck(["worker"], { WORKER_HEALTH_PORT: healthPort })).code).toBe(1);
  });
});

describe("dist/migrate.js", () => {
  test("applies one service's migrations with its database URL alone, and again changes nothing", async () => {
    const scratch = await createScratchDatabase(testEnv.authDatabaseUrl(), "migrate_job");
    try {
      // Only the database URL: no credential, no key, as a migration job is given.
      const env = { AUTH_DATABASE_URL: scratch.url, SERVICE_CREDENTIAL: "", PAYLOAD_KEYS: "" };
      const first = await runTs("services/migrate.ts", ["auth"], env);
      expect(first.code).toBe(0);
      const client = new pg.Client({ connectionString: scratch.url });
      await client.connect();
      try {
        const tables = await client.query(
          "select count(*)::int as n from information_schema.tables where table_name in ('users', 'sessions')",
        );
        expect(tables.rows[0].n).toBe(2);
      } finally {
        await client.end();
      }
      expect((await runTs("services/migrate.ts", ["auth"], env)).code).toBe(0);
    } finally {
      await scratch.drop();
    }
  });

  test("refuses an unknown service, and fails on a database it cannot reach", async () => {
    const usage = await runTs("services/migrate.ts", ["billing"], {});
    expect(usage.code).toBe(2);
    expect(usage.output).toContain("usage: migrate.js <auth|profile>");
    const unreachable = await runTs("services/migrate.ts", ["profile"], {
      PROFILE_DATABASE_URL: `postgres://nobody:wrong@127.0.0.1:${await freePort()}/profile`,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.output).toContain("migration failed");
  });
});
