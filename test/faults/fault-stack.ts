import { oneAddressLoadEnv } from "../../scripts/load-generator-env";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { newPayloadKeyEntry } from "@flowshield/common/temporal/payload-codec";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import {
  freeListenerPorts,
  freePort,
  spawnNode,
  startPostgres,
  startTemporal,
  stopProcess,
  waitForHealthy,
  type RunningPostgres,
  type RunningTemporal,
} from "../../scripts/stack";
import { startMailServer } from "../support/mail-server";
import { startTemporalCluster } from "../../scripts/temporal-cluster";
import { listenerEnv } from "@flowshield/common/runtime/topology";

// FlowShield as an operator runs it: two Postgres servers, a Temporal server, and the auth,
// profile and worker processes, each configured only through the README's variables, so that a
// test can break one piece at a time and watch what the others do.

export interface ServiceProcess {
  name: string;
  pid(): number | undefined;
  start(): Promise<void>;
  stop(signal: NodeJS.Signals): Promise<void>;
}

export interface FaultStack {
  authDb: RunningPostgres;
  profileDb: RunningPostgres;
  auth: ServiceProcess;
  profile: ServiceProcess;
  worker: ServiceProcess;
  authUrl: string;
  profileUrl: string;
  authClient: Client<typeof AuthService>;
  // Each process's GET /metrics (the README's *_METRICS_PORT variables).
  metricsUrls: { auth: string; profile: string; worker: string };
  temporalAddress: string;
  // Stops the Temporal server and starts it again on the same port and data.
  restartTemporal(): Promise<void>;
  // Processes that ended without being told to, with how they ended.
  unexpectedExits: string[];
  stop(): Promise<void>;
}

// Starts a fault stack in a directory of its own before the file's tests, and stops it and removes
// the directory after them (FAULTS_KEEP=1 keeps it, with the processes' logs); call at the top of
// a file. `env` is read when the stack starts (a collector's address may be known only then).
export function useFaultStack(name: string, env: () => Record<string, string> = () => ({})): () => FaultStack {
  let dir: string | undefined;
  let stack: FaultStack | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), `flowshield-${name}-`));
    stack = await startFaultStack(dir, env());
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
    if (dir === undefined) return;
    if (process.env.FAULTS_KEEP) console.log(`fault stack kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  });
  return () => {
    if (stack === undefined) throw new Error("the fault stack is not started yet: use it inside a test or hook");
    return stack;
  };
}

// `env` is added to every process's environment (the trace tests' OTEL_* variables).
export async function startFaultStack(dir: string, env: Record<string, string> = {}): Promise<FaultStack> {
  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
  };
  try {
    const [authDb, profileDb] = await Promise.all([
      freePort().then((port) => startPostgres({ dir: path.join(dir, "auth-pg"), port, database: "auth", quiet: true })),
      freePort().then((port) => startPostgres({ dir: path.join(dir, "profile-pg"), port, database: "profile", quiet: true })),
    ]);
    stoppers.push(authDb.stop, profileDb.stop);
    const temporalPort = await freePort();
    // TEMPORAL=cluster: the real server on Cassandra, whose restart leaves the stores up.
    const temporalOptions = { port: temporalPort, dbFile: path.join(dir, "temporal.db"), quiet: true };
    const cluster =
      process.env.TEMPORAL === "cluster"
        ? await startTemporalCluster({ dir: path.join(dir, "temporal-cluster"), frontendPort: temporalPort, quiet: true })
        : undefined;
    let temporal: RunningTemporal = cluster ?? (await startTemporal(temporalOptions));
    stoppers.push(() => temporal.stop());

    const ports = await freeListenerPorts();
    const url = (port: number) => `http://127.0.0.1:${port}`;
    const mail = await startMailServer();
    stoppers.push(() => mail.close());
    const shared = {
      SERVICE_CREDENTIAL: randomBytes(32).toString("base64url"),
      PAYLOAD_KEYS: newPayloadKeyEntry("faults"),
      TEMPORAL_ADDRESS: temporal.address,
      HEALTH_CHECK_INTERVAL_MS: "500",
      SHUTDOWN_GRACE_MS: "5000",
      LOG_LEVEL: "info",
      ...env,
    };
    const unexpectedExits: string[] = [];
    const logs: WriteStream[] = [];
    stoppers.push(async () => logs.forEach((l) => l.end()));
    const service = (name: string, entry: string, env: Record<string, string>, healthUrl?: string): ServiceProcess => {
      let child: ChildProcess | undefined;
      const log = createWriteStream(path.join(dir, `${name}.log`), { flags: "a" });
      logs.push(log);
      const handle: ServiceProcess = {
        name,
        pid: () => child?.pid,
        async start() {
          const started = spawnNode(entry, { ...shared, ...env }, ["ignore", "pipe", "pipe"]);
          started.stdout?.pipe(log, { end: false });
          started.stderr?.pipe(log, { end: false });
          child = started;
          started.once("exit", (code, signal) => {
            if (child === started) unexpectedExits.push(`${name} exited (${signal ?? code})`);
          });
          if (healthUrl !== undefined) await waitForHealthy(healthUrl, started);
        },
        async stop(signal) {
          const running = child;
          child = undefined;
          if (running === undefined) return;
          if (signal === "SIGTERM") return stopProcess(running);
          await new Promise<void>((resolve) => {
            if (running.exitCode !== null || running.signalCode !== null) return resolve();
            running.once("exit", () => resolve());
            running.kill(signal);
          });
        },
      };
      stoppers.push(() => handle.stop("SIGTERM"));
      return handle;
    };

    const auth = service(
      "auth",
      "services/auth/src/main.ts",
      {
        AUTH_DATABASE_URL: authDb.url,
        ...listenerEnv({ authPublic: ports.authPublic, authInternal: ports.authInternal, authMetrics: ports.authMetrics }),
        BCRYPT_COST: "4",
        SMTP_URL: mail.url,
        // The faults are about registrations and logins, not about reading mail.
        REQUIRE_VERIFIED_EMAIL: "false",
        ...oneAddressLoadEnv(1_000_000),
      },
      url(ports.authPublic),
    );
    const profile = service(
      "profile",
      "services/profile/src/main.ts",
      {
        PROFILE_DATABASE_URL: profileDb.url,
        ...listenerEnv({
          profilePublic: ports.profilePublic,
          profileInternal: ports.profileInternal,
          profileMetrics: ports.profileMetrics,
        }),
        AUTH_JWKS_URL: `${url(ports.authPublic)}/.well-known/jwks.json`,
      },
      url(ports.profilePublic),
    );
    const worker = service("worker", "workflows/src/main.ts", {
      AUTH_INTERNAL_URL: url(ports.authInternal),
      PROFILE_INTERNAL_URL: url(ports.profileInternal),
      SMTP_URL: mail.url,
      ...listenerEnv({ workerHealth: ports.workerHealth, workerMetrics: ports.workerMetrics, workerSdkMetrics: ports.workerSdkMetrics }),
    });
    await auth.start();
    await profile.start();
    await worker.start();

    return {
      authDb,
      profileDb,
      auth,
      profile,
      worker,
      authUrl: url(ports.authPublic),
      profileUrl: url(ports.profilePublic),
      authClient: createClient(AuthService, createGrpcTransport({ baseUrl: url(ports.authPublic) })),
      metricsUrls: {
        auth: `${url(ports.authMetrics)}/metrics`,
        profile: `${url(ports.profileMetrics)}/metrics`,
        worker: `${url(ports.workerMetrics)}/metrics`,
      },
      temporalAddress: temporal.address,
      async restartTemporal() {
        if (cluster !== undefined) return cluster.restartServer();
        await temporal.stop();
        temporal = await startTemporal(temporalOptions);
      },
      unexpectedExits,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface Accounts {
  users: Map<string, { id: string }>;
  profiles: Map<string, { username: string }>;
}

// Every user by email and every profile by user id, read straight from both databases.
export async function readAccounts(stack: FaultStack): Promise<Accounts> {
  const query = async <R extends pg.QueryResultRow>(url: string, text: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<R>(text)).rows;
    } finally {
      await client.end();
    }
  };
  const users = await query<{ id: string; email: string }>(stack.authDb.url, "select id, email from users");
  const profiles = await query<{ user_id: string; username: string }>(stack.profileDb.url, "select user_id, username from profiles");
  return {
    users: new Map(users.map((u) => [u.email, { id: u.id }])),
    profiles: new Map(profiles.map((p) => [p.user_id, { username: p.username }])),
  };
}

// Users without a profile and profiles without a user.
export function halfMade(accounts: Accounts): string[] {
  const userIds = new Set([...accounts.users.values()].map((u) => u.id));
  return [
    ...[...accounts.users].filter(([, u]) => !accounts.profiles.has(u.id)).map(([email]) => `user ${email} has no profile`),
    ...[...accounts.profiles.keys()].filter((id) => !userIds.has(id)).map((id) => `profile of ${id} has no user`),
  ];
}
