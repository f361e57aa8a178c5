// The real Temporal server on a CQL store, for `make dev TEMPORAL=cluster` and the cluster tests:
// persistence on Cassandra (or, with TEMPORAL_CASSANDRA_HOSTS, an external ScyllaDB/Cassandra),
// visibility on a Postgres (Temporal's visibility cannot be Cassandra since 1.24), the schema
// tools run before the server, the `default` namespace registered, and the Web UI server — the
// same configuration and scripts as docker-compose.yml (deploy/temporal/).
import { execFile, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import { startCassandra, type RunningCassandra } from "./cassandra";
import { freePort } from "./free-port";
import { startPostgres, type RunningPostgres } from "./postgres";
import { ROOT } from "./root";
import { httpOk, pollUntil } from "./poll";
import { stopProcess, waitForTemporal, type RunningTemporal } from "./stack";
import { temporalCli } from "./temporal-cli";

export const TEMPORAL_SERVER_VERSION = "v1.31.2";
export const TEMPORAL_UI_VERSION = "v2.55.0";
const SERVER_DIR = path.join(ROOT, ".tools", `temporal-server-${TEMPORAL_SERVER_VERSION}`);
const UI_SERVER = path.join(ROOT, ".tools", `temporal-ui-${TEMPORAL_UI_VERSION}`, "temporal-ui-server");
const run = promisify(execFile);

export interface ClusterOptions {
  dir: string;
  frontendPort: number;
  uiPort?: number;
  uiCodecEndpoint?: string;
  // host[,host] and port of an external ScyllaDB/Cassandra; unset: a local Cassandra under dir.
  cassandraHosts?: string;
  cassandraPort?: number;
  keyspace?: string;
  quiet?: boolean;
}

// The Temporal server's configuration, and its schema and namespace scripts: those of
// docker-compose.yml, run here with the local stores' addresses and free ports in their environment.
const TEMPORAL_DEPLOY = path.join(ROOT, "deploy", "temporal");

// A script of deploy/temporal, with the server's tools and the CLI on PATH.
async function script(name: string, env: Record<string, string>): Promise<void> {
  const toolsPath = [SERVER_DIR, path.dirname(temporalCli()), process.env.PATH ?? ""].join(path.delimiter);
  await run("sh", [path.join(TEMPORAL_DEPLOY, name)], { env: { ...process.env, ...env, PATH: toolsPath }, maxBuffer: 16 * 1024 * 1024 });
}

export interface RunningCluster extends RunningTemporal {
  cassandra?: RunningCassandra;
  visibility: RunningPostgres;
  // Stops the Temporal server (only it: the stores stay up) and starts it again.
  restartServer(): Promise<void>;
}

export async function startTemporalCluster(options: ClusterOptions): Promise<RunningCluster> {
  await mkdir(options.dir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  try {
    let cassandra: RunningCassandra | undefined;
    let cassandraHosts = options.cassandraHosts;
    let cassandraPort = options.cassandraPort ?? 9042;
    if (cassandraHosts === undefined) {
      cassandraPort = options.cassandraPort ?? (await freePort());
      cassandra = await startCassandra({
        dir: path.join(options.dir, "cassandra"),
        port: cassandraPort,
        storagePort: await freePort(),
        quiet: options.quiet,
      });
      stops.push(() => cassandra!.stop());
      cassandraHosts = "127.0.0.1";
    }
    const visibility = await startPostgres({
      dir: path.join(options.dir, "visibility-pg"),
      port: await freePort(),
      database: "temporal_visibility",
      quiet: true,
    });
    stops.push(() => visibility.stop());

    // The schemas, from the ones the tools embed, at every start (idempotent).
    const pg = new URL(visibility.url);
    const stores = {
      CASSANDRA_HOSTS: cassandraHosts,
      CASSANDRA_PORT: String(cassandraPort),
      CASSANDRA_KEYSPACE: options.keyspace ?? "temporal",
      VISIBILITY_DB_HOST: pg.hostname,
      VISIBILITY_DB_PORT: pg.port,
      VISIBILITY_DB_NAME: pg.pathname.slice(1),
      VISIBILITY_DB_USER: pg.username,
      VISIBILITY_DB_PASSWORD: decodeURIComponent(pg.password),
    };
    await script("schema.sh", stores);

    const serverEnv: Record<string, string> = {
      ...stores,
      BIND_ON_IP: "127.0.0.1",
      FRONTEND_GRPC_PORT: String(options.frontendPort),
      TEMPORAL_DYNAMIC_CONFIG: path.join(TEMPORAL_DEPLOY, "dynamic-config.yaml"),
    };
    for (const name of [
      "FRONTEND_MEMBERSHIP",
      "HISTORY_GRPC",
      "HISTORY_MEMBERSHIP",
      "MATCHING_GRPC",
      "MATCHING_MEMBERSHIP",
      "WORKER_GRPC",
      "WORKER_MEMBERSHIP",
    ])
      serverEnv[`${name}_PORT`] = String(await freePort());
    const address = `127.0.0.1:${options.frontendPort}`;
    const startServer = async () => {
      const child = spawn(
        path.join(SERVER_DIR, "temporal-server"),
        ["--config-file", path.join(TEMPORAL_DEPLOY, "config.yaml"), "--allow-no-auth", "start"],
        { env: { ...process.env, ...serverEnv }, stdio: ["ignore", "ignore", options.quiet ? "ignore" : "inherit"] },
      );
      await waitForTemporal(address, child, "the Temporal server", 120_000);
      return child;
    };
    let server = await startServer();
    stops.push(() => stopProcess(server, 20_000));
    // The namespace the services use, registered and known to the frontend.
    await script("namespace.sh", { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: "default" });
    const uiUrl = options.uiPort !== undefined ? await startUi(options, address, stops) : undefined;
    return {
      address,
      ...(uiUrl !== undefined ? { uiUrl } : {}),
      get process() {
        return server;
      },
      async restartServer() {
        await stopProcess(server, 20_000);
        server = await startServer();
      },
      ...(cassandra !== undefined ? { cassandra } : {}),
      visibility,
      stop: async () => {
        for (const stop of stops.reverse()) await stop().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

// The Web UI server (what the CLI's dev server embeds), on the frontend, with the payload codec
// endpoint when one is given.
async function startUi(options: ClusterOptions, address: string, stops: Array<() => Promise<void>>): Promise<string> {
  const root = path.join(options.dir, "ui");
  await mkdir(path.join(root, "config"), { recursive: true });
  await writeFile(
    path.join(root, "config", "development.yaml"),
    [
      `temporalGrpcAddress: ${address}`,
      `port: ${options.uiPort}`,
      "enableUi: true",
      "defaultNamespace: default",
      "notifyOnNewVersion: false",
      "disableNewsFetch: true",
      ...(options.uiCodecEndpoint !== undefined ? ["codec:", `  endpoint: ${options.uiCodecEndpoint}`, "  includeCredentials: true"] : []),
      "",
    ].join("\n"),
  );
  const ui = spawn(UI_SERVER, ["--root", root, "--config", "config", "--env", "development", "start"], {
    stdio: ["ignore", "ignore", options.quiet ? "ignore" : "inherit"],
  });
  stops.push(() => stopProcess(ui));
  const url = `http://localhost:${options.uiPort}`;
  await pollUntil("the Temporal UI server", () => httpOk(url), { process: ui, timeoutMs: 30_000 });
  return url;
}
