// The real Temporal server on a CQL store, for `make dev TEMPORAL=cluster` and the cluster tests:
// persistence on Cassandra (or, with TEMPORAL_CASSANDRA_HOSTS, an external ScyllaDB/Cassandra),
// visibility on a Postgres (Temporal's visibility cannot be Cassandra since 1.24), the schema
// tools run before the server, the `default` namespace registered, and the Web UI server.
import { execFile, spawn } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import { Connection } from "@temporalio/client";
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

// numHistoryShards is fixed for the life of a cluster's data: 4 suits one machine.
const HISTORY_SHARDS = 4;

function serverConfig(o: {
  cassandraHosts: string;
  cassandraPort: number;
  keyspace: string;
  visibility: RunningPostgres;
  ports: Record<string, number>;
}): string {
  const visibility = new URL(o.visibility.url);
  const service = (name: string, grpc: number, membership: number) =>
    `  ${name}:\n    rpc:\n      grpcPort: ${grpc}\n      membershipPort: ${membership}\n      bindOnLocalHost: true\n`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: cql-default
  visibilityStore: sql-visibility
  numHistoryShards: ${HISTORY_SHARDS}
  datastores:
    cql-default:
      cassandra:
        hosts: "${o.cassandraHosts}"
        port: ${o.cassandraPort}
        keyspace: "${o.keyspace}"
        replicationFactor: 1
    sql-visibility:
      sql:
        pluginName: "postgres12"
        databaseName: "${visibility.pathname.slice(1)}"
        connectAddr: "${visibility.host}"
        connectProtocol: "tcp"
        user: "${visibility.username}"
        password: "${decodeURIComponent(visibility.password)}"
        maxConns: 10
        maxIdleConns: 10
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:
${service("frontend", o.ports.frontend!, o.ports.frontendMembership!)}${service("history", o.ports.history!, o.ports.historyMembership!)}${service("matching", o.ports.matching!, o.ports.matchingMembership!)}${service("worker", o.ports.worker!, o.ports.workerMembership!)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${o.ports.frontend}"
dcRedirectionPolicy:
  policy: "noop"
archival:
  history:
    state: "disabled"
  visibility:
    state: "disabled"
namespaceDefaults:
  archival:
    history:
      state: "disabled"
    visibility:
      state: "disabled"
publicClient:
  hostPort: "127.0.0.1:${o.ports.frontend}"
`;
}

async function tool(name: string, args: string[]): Promise<void> {
  await run(path.join(SERVER_DIR, name), args, { maxBuffer: 16 * 1024 * 1024 });
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
    const keyspace = options.keyspace ?? "temporal";

    // The schemas, from the ones the tools embed, at every start. setup-schema (the version table)
    // fails on a store that has it already — a restart — so its failure is let pass: a store
    // that is really unusable fails update-schema, right after, loudly.
    const cql = ["--endpoint", cassandraHosts, "--port", String(cassandraPort)];
    await tool("temporal-cassandra-tool", [...cql, "create-keyspace", "--keyspace", keyspace, "--replication-factor", "1"]);
    await tool("temporal-cassandra-tool", [...cql, "--keyspace", keyspace, "setup-schema", "--version", "0.0"]).catch(() => undefined);
    await tool("temporal-cassandra-tool", [...cql, "--keyspace", keyspace, "update-schema", "--schema-name", "cassandra/temporal"]);
    const pg = new URL(visibility.url);
    const sql = [
      "--plugin",
      "postgres12",
      "--endpoint",
      pg.hostname,
      "--port",
      pg.port,
      "--user",
      pg.username,
      "--password",
      decodeURIComponent(pg.password),
      "--database",
      "temporal_visibility",
    ];
    await tool("temporal-sql-tool", [...sql, "setup-schema", "--version", "0.0"]).catch(() => undefined);
    await tool("temporal-sql-tool", [...sql, "update-schema", "--schema-name", "postgresql/v12/visibility"]);

    const ports: Record<string, number> = { frontend: options.frontendPort };
    for (const name of [
      "frontendMembership",
      "history",
      "historyMembership",
      "matching",
      "matchingMembership",
      "worker",
      "workerMembership",
    ])
      ports[name] = await freePort();
    const configFile = path.join(options.dir, "temporal.yaml");
    await writeFile(configFile, serverConfig({ cassandraHosts, cassandraPort, keyspace, visibility, ports }));
    const address = `127.0.0.1:${options.frontendPort}`;
    const startServer = async () => {
      const child = spawn(path.join(SERVER_DIR, "temporal-server"), ["--config-file", configFile, "--allow-no-auth", "start"], {
        stdio: ["ignore", "ignore", options.quiet ? "ignore" : "inherit"],
      });
      await waitForTemporal(address, child, "the Temporal server", 120_000);
      return child;
    };
    let server = await startServer();
    stops.push(() => stopProcess(server, 20_000));
    // The namespace the services use; registering it again is refused, which is fine.
    await run(temporalCli(), [
      "operator",
      "namespace",
      "create",
      "--namespace",
      "default",
      "--retention",
      "72h",
      "--address",
      address,
    ]).catch(() => undefined);
    await waitForNamespace(address);
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

// Until the `default` namespace is known to the frontend (its registration takes a moment to spread).
async function waitForNamespace(address: string, timeoutMs = 60_000): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const described = () => connection.workflowService.describeNamespace({ namespace: "default" }).then(() => true);
    await pollUntil("the default namespace", described, { timeoutMs, intervalMs: 500 });
  } finally {
    await connection.close();
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
