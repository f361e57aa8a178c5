// The peers FlowShield is measured against, run beside its bench stack on the same machine: Ory
// Kratos (registration and login) and Ory Hydra (client credentials and introspection), built from
// their Go modules into .tools/ by `make peers`, each on a Postgres of its own from the same
// binaries FlowShield's databases run on, with the same pool size as a FlowShield service (10).
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import { freePort, ROOT, startPostgres, type Stoppable } from "../../../scripts/stack";
import { BenchProcess } from "../bench-process";
import { PRODUCTION_COST } from "../run-settings";

// The Makefile pins the versions and names the folder the binaries are built into.
export const PEER_VERSIONS = { kratos: process.env.KRATOS_VERSION ?? "?", hydra: process.env.HYDRA_VERSION ?? "?" };
function peersDir(): string {
  const dir = process.env.PEERS_DIR;
  if (dir === undefined) throw new Error("PEERS_DIR is not set: run the peers through `make bench` or `make bench-peers`");
  return dir;
}
const POOL = "max_conns=10&max_idle_conns=10";
// Ory's telemetry off: nothing leaves the machine.
const QUIET = { SQA_OPT_OUT: "true" };

export interface PeerStack {
  // Restarts Kratos with a verification code mailed on every registration (its courier sending
  // to the run's mail sink, as FlowShield's verification mails go), or without, as it starts.
  restartKratos(mailVerification: boolean): Promise<void>;
  kratosPublicUrl: string;
  kratosAdminUrl: string;
  hydraPublicUrl: string;
  hydraAdminUrl: string;
  measured: BenchProcess[];
  stop(): Promise<void>;
}

const url = (port: number) => `http://127.0.0.1:${port}`;

async function answers(healthUrl: string): Promise<boolean> {
  return (await fetch(healthUrl, { signal: AbortSignal.timeout(1_000) })).ok;
}

// An Ory service is ready when both its listeners answer their health checks.
const bothReady = (adminPort: number, publicPort: number) => async () =>
  (await answers(`${url(adminPort)}/health/ready`)) && answers(`${url(publicPort)}/health/ready`);

// Kratos with password registration and login (API flows, a session on registration), no
// breached-password lookups (this machine has no internet; FlowShield's own check is local too),
// and, when asked, the verification code mailed on registration that FlowShield always sends.
function kratosConfig(dsn: string, publicPort: number, adminPort: number, schemaUrl: string, mailUrl: string, mailVerification: boolean) {
  return {
    dsn,
    serve: {
      public: { base_url: `${url(publicPort)}/`, host: "127.0.0.1", port: publicPort },
      admin: { base_url: `${url(adminPort)}/`, host: "127.0.0.1", port: adminPort },
    },
    selfservice: {
      default_browser_return_url: `${url(publicPort)}/`,
      methods: {
        password: { enabled: true, config: { haveibeenpwned_enabled: false } },
        code: { enabled: mailVerification, passwordless_enabled: false },
      },
      flows: {
        registration: { enabled: true, after: { password: { hooks: [{ hook: "session" }] } } },
        verification: { enabled: mailVerification, use: "code" },
        recovery: { enabled: false },
      },
    },
    // FlowShield's bcrypt cost in production.
    hashers: { algorithm: "bcrypt", bcrypt: { cost: PRODUCTION_COST } },
    identity: { default_schema_id: "default", schemas: [{ id: "default", url: schemaUrl }] },
    courier: { smtp: { connection_uri: `${mailUrl}/?disable_starttls=true`, from_address: "bench@flowshield.invalid" } },
    secrets: {
      default: ["flowshield-bench-kratos-default"],
      cookie: ["flowshield-bench-kratos-cookie"],
      cipher: ["0123456789abcdef0123456789abcdef"],
    },
    log: { level: "warning", format: "json" },
  };
}

// Hydra issuing opaque access tokens. Client secrets are hashed with one PBKDF2-SHA256 iteration:
// FlowShield stores a client secret (32 random bytes) as one SHA-256, so the grant compares at
// equal secret hashing (Hydra's default is 25,000 iterations).
function hydraConfig(dsn: string, publicPort: number, adminPort: number) {
  return {
    dsn,
    serve: { public: { host: "127.0.0.1", port: publicPort }, admin: { host: "127.0.0.1", port: adminPort } },
    urls: {
      self: { issuer: `https://127.0.0.1:${publicPort}/` },
      login: "http://127.0.0.1:1/login",
      consent: "http://127.0.0.1:1/consent",
    },
    secrets: { system: ["flowshield-bench-hydra-system-secret"] },
    strategies: { access_token: "opaque" },
    oauth2: { hashers: { algorithm: "pbkdf2", pbkdf2: { iterations: 1 } } },
    ttl: { access_token: "1h" },
    log: { level: "warn", format: "json" },
  };
}

export async function startPeerStack(benchDir: string, mailUrl: string): Promise<PeerStack> {
  const dir = path.join(benchDir, "peers");
  const logDir = path.join(benchDir, "logs");
  await mkdir(dir, { recursive: true });
  const started: Stoppable[] = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
  };
  try {
    const database = async (name: string) => {
      const db = await startPostgres({ dir: path.join(dir, `${name}-db`), port: await freePort(), database: name, quiet: true });
      started.push(db);
      return `${db.url}?sslmode=disable&${POOL}`;
    };
    const [kratosDsn, hydraDsn] = await Promise.all([database("kratos"), database("hydra")]);
    const ports = {
      kratosPublic: await freePort(),
      kratosAdmin: await freePort(),
      hydraPublic: await freePort(),
      hydraAdmin: await freePort(),
    };

    const schemaUrl = `file://${path.join(ROOT, "bench", "peers", "identity.schema.json")}`;
    const kratosFile = path.join(dir, "kratos.yml");
    const hydraFile = path.join(dir, "hydra.yml");
    // JSON is YAML: the configurations are written from the objects above.
    const writeKratosConfig = (mailVerification: boolean) =>
      writeFile(
        kratosFile,
        JSON.stringify(kratosConfig(kratosDsn, ports.kratosPublic, ports.kratosAdmin, schemaUrl, mailUrl, mailVerification), null, 2),
      );
    await writeKratosConfig(false);
    await writeFile(hydraFile, JSON.stringify(hydraConfig(hydraDsn, ports.hydraPublic, ports.hydraAdmin), null, 2));

    const kratosBinary = path.join(peersDir(), "kratos");
    const hydraBinary = path.join(peersDir(), "hydra");
    const run = promisify(execFile);
    const env = { ...process.env, ...QUIET };
    await Promise.all([
      run(kratosBinary, ["migrate", "sql", "-e", "--yes", "-c", kratosFile], { env, timeout: 120_000 }),
      run(hydraBinary, ["migrate", "sql", "up", "-e", "--yes", "-c", hydraFile], { env, timeout: 120_000 }),
    ]);

    // --watch-courier: the courier runs in the serving process, as Kratos's quickstart runs it.
    const kratos = new BenchProcess(
      "kratos",
      { command: kratosBinary, args: ["serve", "-c", kratosFile, "--sqa-opt-out", "--watch-courier"] },
      logDir,
    );
    started.push(kratos);
    const hydra = new BenchProcess("hydra", { command: hydraBinary, args: ["serve", "all", "-c", hydraFile, "--sqa-opt-out"] }, logDir);
    started.push(hydra);
    const kratosReady = bothReady(ports.kratosAdmin, ports.kratosPublic);
    await Promise.all([kratos.start(QUIET, kratosReady), hydra.start(QUIET, bothReady(ports.hydraAdmin, ports.hydraPublic))]);
    return {
      async restartKratos(mailVerification) {
        await kratos.stop();
        await writeKratosConfig(mailVerification);
        await kratos.start(QUIET, kratosReady);
      },
      kratosPublicUrl: url(ports.kratosPublic),
      kratosAdminUrl: url(ports.kratosAdmin),
      hydraPublicUrl: url(ports.hydraPublic),
      hydraAdminUrl: url(ports.hydraAdmin),
      measured: [kratos, hydra],
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
