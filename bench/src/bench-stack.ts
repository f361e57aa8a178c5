// The stack `make bench` measures: a Postgres per service, the Temporal dev server, both services
// and the worker in processes of their own with production settings, plus the baselines' own
// processes (a worker running the saga with do-nothing activities, and a bare Connect server).
// Everything lives under .bench/ on free ports, so a developer's `make dev` data is never touched.
import { oneAddressLoadEnv } from "../../scripts/load-generator-env";
import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import * as path from "node:path";
import { newPayloadKeyEntry } from "@flowshield/common/temporal/payload-codec";
import { freeListenerPorts, freePort, ROOT, startInfrastructure, type Stoppable } from "../../scripts/stack";
import { BenchProcess } from "./bench-process";
import { startMailSink } from "./mail-sink";
import { listenerEnv } from "@flowshield/common/runtime/topology";

export const BENCH_DIR = path.join(ROOT, ".bench");
export const NOOP_TASK_QUEUE = "flowshield-bench-noop";
export const SERVICE_NODE_OPTIONS = process.env.SERVICE_NODE_OPTIONS ?? "--max-semi-space-size=4";
// Auth's: its old generation capped at 128 MB, twice the live set measured under the peers' load
// and the 300-caller flood (~60–70 MB). Without a cap V8 grew it with the allocation rate instead
// of collecting: 345–386 MB resident at 3,500 introspections/s (BENCHMARKS.md, 2026-12-07).
export const AUTH_NODE_OPTIONS = process.env.AUTH_NODE_OPTIONS ?? `${SERVICE_NODE_OPTIONS} --max-old-space-size=128`;
// The worker's, the services' too: Node 24's V8 sizes the young generation for the machine (up to
// 3 x 32 MB here); the worker allocates fast and kept every byte of it. At 3 x 4 MB its peak is
// ~35 MB lower than at 16 (~15 lower than at 8), for ~1-2 ms more of its CPU per registration
// (BENCHMARKS.md).
export const WORKER_NODE_OPTIONS = process.env.WORKER_NODE_OPTIONS ?? SERVICE_NODE_OPTIONS;

export interface BenchStack {
  // The worker's credential (the saga's steps), and the operator's (OAuth clients).
  credential: string;
  operatorCredential: string;
  // The payload keys every Temporal client and worker of the run shares (PAYLOAD_KEYS format).
  payloadKeys: string;
  temporalAddress: string;
  // The SMTP server every mail of the run goes to (it keeps none), and how many it has received.
  mailUrl: string;
  mailsReceived(): number;
  authDatabaseUrl: string;
  profileDatabaseUrl: string;
  authPublicUrl: string;
  authInternalUrl: string;
  // Auth's Prometheus metrics (event-loop delay, the pool's waiting callers).
  authMetricsUrl: string;
  workerMetricsUrl: string;
  profileMetricsUrl: string;
  profilePublicUrl: string;
  profileInternalUrl: string;
  bareServerUrl: string;
  // The roles whose memory is reported.
  measured: BenchProcess[];
  // Restarts the auth service with another bcrypt cost (the saga phases measure orchestration),
  // and other settings (RATE_LIMITS=off for the limiter's baseline).
  restartAuth(bcryptCost: number, env?: Record<string, string>): Promise<void>;
  // Stops the baselines' processes (the no-op worker, the bare server), which production does not
  // run, before FlowShield is measured against the peers or profiled: idle, they still take CPU.
  stopBaselines(): Promise<void>;
  stop(): Promise<void>;
}

// threadpoolSize: libuv's thread pool for the auth service, where bcrypt runs; at least the cores.
export async function startBenchStack(options: { bcryptCost: number; threadpoolSize: number }): Promise<BenchStack> {
  await rm(BENCH_DIR, { recursive: true, force: true });
  const logDir = path.join(BENCH_DIR, "logs");
  await mkdir(logDir, { recursive: true });
  const started: Stoppable[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const infrastructure = await startInfrastructure(BENCH_DIR);
    started.push(infrastructure);
    const { authDb, profileDb, temporal } = infrastructure;
    const mailSink = await startMailSink();
    started.push(mailSink);

    const ports = { ...(await freeListenerPorts()), bare: await freePort() };
    const url = (port: number) => `http://127.0.0.1:${port}`;
    const credential = randomBytes(32).toString("base64url");
    const operatorCredential = randomBytes(32).toString("base64url");
    const payloadKeys = newPayloadKeyEntry("bench");
    const shared = {
      SERVICE_CREDENTIAL: credential,
      PAYLOAD_KEYS: payloadKeys,
      TEMPORAL_ADDRESS: temporal.address,
      NODE_ENV: "production",
      // As the image sets it (Dockerfile): glibc's malloc at two arenas.
      MALLOC_ARENA_MAX: "2",
    };
    // The services' production memory setting (see deploy/README.md): V8's young generation
    // capped at 3 x 4 MB instead of growing to 3 x 16 MB under load.
    const serviceNodeOptions = { NODE_OPTIONS: SERVICE_NODE_OPTIONS };
    const authNodeOptions = { NODE_OPTIONS: AUTH_NODE_OPTIONS };
    const role = (name: string, entry: string) => {
      const p = new BenchProcess(name, entry, logDir);
      started.push(p);
      return p;
    };

    // The measured roles run as production runs them: the bundles `make build` writes to dist/.
    const auth = role("auth", "dist/auth.js");
    const authEnv = (bcryptCost: number) => ({
      ...shared,
      ...authNodeOptions,
      ...listenerEnv({
        authPublic: ports.authPublic,
        authInternal: ports.authInternal,
        authMetrics: ports.authMetrics,
        authCodec: ports.authCodec,
      }),
      // The OpenID provider's issuer, and its resource server for client credentials.
      PUBLIC_URL: url(ports.authPublic),
      AUTH_DATABASE_URL: authDb.url,
      OPERATOR_CREDENTIAL: operatorCredential,
      SMTP_URL: mailSink.url,
      BCRYPT_COST: String(bcryptCost),
      // The login phase signs in the user it just registered, without reading its mail.
      REQUIRE_VERIFIED_EMAIL: "false",
      // Every benchmark call comes from one address.
      ...oneAddressLoadEnv(1_000_000_000),
      UV_THREADPOOL_SIZE: String(options.threadpoolSize),
    });
    await auth.start(authEnv(options.bcryptCost), url(ports.authPublic));

    const profile = role("profile", "dist/profile.js");
    await profile.start(
      {
        ...shared,
        ...serviceNodeOptions,
        ...listenerEnv({
          profilePublic: ports.profilePublic,
          profileInternal: ports.profileInternal,
          profileMetrics: ports.profileMetrics,
        }),
        PROFILE_DATABASE_URL: profileDb.url,
        AUTH_JWKS_URL: `${url(ports.authPublic)}/.well-known/jwks.json`,
      },
      url(ports.profilePublic),
    );

    const workerEnv = {
      ...shared,
      NODE_OPTIONS: WORKER_NODE_OPTIONS,
      AUTH_INTERNAL_URL: url(ports.authInternal),
      PROFILE_INTERNAL_URL: url(ports.profileInternal),
      WORKFLOW_BUNDLE_PATH: path.join(ROOT, "dist", "workflow-bundle.js"),
      SMTP_URL: mailSink.url,
      ...listenerEnv({ workerHealth: ports.workerHealth, workerMetrics: ports.workerMetrics, workerSdkMetrics: ports.workerSdkMetrics }),
    };
    const worker = role("worker", "dist/worker.js");
    const noopWorker = role("noop-worker", "bench/src/noop-worker.ts");
    const bare = role("bare-server", "bench/src/bare-profile-server.ts");
    await Promise.all([
      worker.start(workerEnv),
      noopWorker.start({ ...workerEnv, TEMPORAL_TASK_QUEUE: NOOP_TASK_QUEUE }),
      bare.start({ BARE_PORT: String(ports.bare) }, url(ports.bare)),
    ]);

    return {
      credential,
      operatorCredential,
      payloadKeys,
      temporalAddress: temporal.address,
      mailUrl: mailSink.url,
      mailsReceived: () => mailSink.received(),
      authDatabaseUrl: authDb.url,
      profileDatabaseUrl: profileDb.url,
      authPublicUrl: url(ports.authPublic),
      authInternalUrl: url(ports.authInternal),
      authMetricsUrl: `${url(ports.authMetrics)}/metrics`,
      workerMetricsUrl: `${url(ports.workerMetrics)}/metrics`,
      profileMetricsUrl: `${url(ports.profileMetrics)}/metrics`,
      profilePublicUrl: url(ports.profilePublic),
      profileInternalUrl: url(ports.profileInternal),
      bareServerUrl: url(ports.bare),
      measured: [auth, profile, worker],
      async restartAuth(bcryptCost, env = {}) {
        await auth.stop();
        await auth.start({ ...authEnv(bcryptCost), ...env }, url(ports.authPublic));
      },
      async stopBaselines() {
        await Promise.all([noopWorker.stop(), bare.stop()]);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
