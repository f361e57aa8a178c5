// `make dev`: the whole stack on one machine — a Postgres per service, the Temporal dev server
// with its Web UI, both services and the worker — until Ctrl-C, which stops all of it. Data lives
// under .data/ and survives a restart.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import * as path from "node:path";
import { newPayloadKeyEntry } from "@flowshield/common/temporal/payload-codec";
import { LISTENERS, LOCAL_TEMPORAL, localUrl, type ListenerName } from "@flowshield/common/runtime/topology";
import { startMailpit } from "./mailpit";
import { seedOAuthClients } from "./oauth-seed";
import { startTemporalCluster } from "./temporal-cluster";
import { ROOT, spawnNode, startPostgres, startTemporal, stopProcess, waitForHealthy, type Stoppable } from "./stack";

const DATA = path.join(ROOT, ".data");
// The auth service's payload codec endpoint, which the Web UI calls to show operators decoded payloads.
const CODEC_ENDPOINT = localUrl("authCodec", "/codec");
// Where the services are waited for: their listeners bind 127.0.0.1 here (AUTH_HOST, PROFILE_HOST).
const loopback = (name: ListenerName) => `http://127.0.0.1:${LISTENERS[name].port}`;

// Secrets are made once and kept in .data/ (mode 0600), so a restart keeps working with workflows
// that were in flight; a variable set in the environment wins.
async function localSecret(variable: string, file: string, make: () => string): Promise<string> {
  const given = process.env[variable];
  if (given) return given;
  const at = path.join(DATA, file);
  if (existsSync(at)) return (await readFile(at, "utf8")).trim();
  const secret = make();
  await writeFile(at, secret, { mode: 0o600 });
  return secret;
}

// The Postgres of one service under .data/, started for as long as `make dev` runs.
async function embeddedDatabase(database: string, port: number): Promise<string> {
  const pg = await startPostgres({ dir: path.join(DATA, `${database}-postgres`), port, database, quiet: true });
  started.push(pg);
  return pg.url;
}

// Starts a FlowShield process and, when it has a listener, waits until it answers health checks.
async function startService(name: string, entry: string, env: NodeJS.ProcessEnv, healthUrl?: string): Promise<void> {
  const child = startNode(name, entry, env);
  started.push({ stop: () => stopProcess(child) });
  if (healthUrl !== undefined) await waitForHealthy(healthUrl, child);
}

function startNode(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawnNode(entry, env, ["ignore", "inherit", "inherit"]);
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`[dev] ${name} exited (${signal ?? code}); stopping the stack`);
    void shutdown(1);
  });
  return child;
}

const started: Stoppable[] = [];
let stopping = false;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.error("[dev] stopping…");
  for (const s of started.reverse()) await s.stop().catch(() => undefined);
  process.exit(code);
}

async function main(): Promise<void> {
  process.once("SIGINT", () => void shutdown(0));
  process.once("SIGTERM", () => void shutdown(0));
  await mkdir(DATA, { recursive: true });

  const authDatabaseUrl = process.env.AUTH_DATABASE_URL ?? (await embeddedDatabase("auth", 15432));
  const profileDatabaseUrl = process.env.PROFILE_DATABASE_URL ?? (await embeddedDatabase("profile", 15433));
  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalUi = process.env.TEMPORAL_UI_URL;
  if (temporalAddress === undefined && process.env.TEMPORAL === "cluster") {
    // The real server on a CQL store: a local Cassandra under .data/, or TEMPORAL_CASSANDRA_HOSTS.
    const cluster = await startTemporalCluster({
      dir: path.join(DATA, "temporal-cluster"),
      frontendPort: LOCAL_TEMPORAL.frontendPort,
      uiPort: LOCAL_TEMPORAL.uiPort,
      uiCodecEndpoint: CODEC_ENDPOINT,
      ...(process.env.TEMPORAL_CASSANDRA_HOSTS !== undefined ? { cassandraHosts: process.env.TEMPORAL_CASSANDRA_HOSTS } : {}),
      ...(process.env.TEMPORAL_CASSANDRA_PORT !== undefined ? { cassandraPort: Number(process.env.TEMPORAL_CASSANDRA_PORT) } : {}),
      ...(process.env.TEMPORAL_CASSANDRA_KEYSPACE !== undefined ? { keyspace: process.env.TEMPORAL_CASSANDRA_KEYSPACE } : {}),
      quiet: true,
    });
    started.push(cluster);
    temporalAddress = cluster.address;
    temporalUi = cluster.uiUrl;
  } else if (temporalAddress === undefined) {
    const temporal = await startTemporal({
      port: LOCAL_TEMPORAL.frontendPort,
      uiPort: LOCAL_TEMPORAL.uiPort,
      uiCodecEndpoint: CODEC_ENDPOINT,
      dbFile: path.join(DATA, "temporal", "temporal.db"),
      quiet: true,
    });
    started.push(temporal);
    temporalAddress = temporal.address;
    temporalUi = temporal.uiUrl;
  }

  // Mail goes to Mailpit unless SMTP_URL names a real server.
  let smtpUrl = process.env.SMTP_URL;
  let mailUi: string | undefined;
  if (smtpUrl === undefined) {
    const mailpit = await startMailpit({ smtpPort: 1025, uiPort: 8025, dbFile: path.join(DATA, "mailpit", "mailpit.db") });
    started.push(mailpit);
    smtpUrl = mailpit.smtpUrl;
    mailUi = mailpit.uiUrl;
  }

  const shared = {
    SERVICE_CREDENTIAL: await localSecret("SERVICE_CREDENTIAL", "service-credential", () => randomBytes(32).toString("base64url")),
    PAYLOAD_KEYS: await localSecret("PAYLOAD_KEYS", "payload-keys", () =>
      newPayloadKeyEntry(`dev-${new Date().toISOString().slice(0, 10)}`),
    ),
    TEMPORAL_ADDRESS: temporalAddress,
  };
  const operatorCredential = await localSecret("OPERATOR_CREDENTIAL", "operator-credential", () => randomBytes(32).toString("base64url"));
  await startService(
    "auth",
    "services/auth/src/main.ts",
    { ...shared, OPERATOR_CREDENTIAL: operatorCredential, AUTH_DATABASE_URL: authDatabaseUrl, SMTP_URL: smtpUrl },
    loopback("authPublic"),
  );
  await startService(
    "profile",
    "services/profile/src/main.ts",
    { ...shared, PROFILE_DATABASE_URL: profileDatabaseUrl },
    loopback("profilePublic"),
  );
  await startService("worker", "workflows/src/main.ts", { ...shared, SMTP_URL: smtpUrl });
  const oauth = await seedOAuthClients(
    loopback("authInternal"),
    operatorCredential,
    path.join(DATA, "oauth-clients.json"),
    localUrl("authPublic"),
  );

  console.log(`
FlowShield is running. Ctrl-C stops everything; data stays in .data/.

  auth     public   ${localUrl("authPublic")}   (AuthService, GET /.well-known/jwks.json)
           internal ${localUrl("authInternal")}   (UserAdminService, OAuthClientAdminService: the operator's
                                             credential in .data/operator-credential)
  profile  public   ${localUrl("profilePublic")}   (ProfileService)
           internal ${localUrl("profileInternal")}   (ProfileAdminService: the worker's credential only)
  Temporal          ${temporalAddress}${temporalUi ? `   Web UI: ${temporalUi}` : ""}
  mail              ${mailUi !== undefined ? `Mailpit ${mailUi}   (every mail sent; SMTP ${smtpUrl})` : redactPassword(smtpUrl)}
  payload codec     ${CODEC_ENDPOINT}   (workflow payloads are encrypted; to read them in the Web UI,
                    sign in once at ${CODEC_ENDPOINT}/login with the credential in
                    .data/operator-credential and turn on "include cross-origin credentials")
  metrics           ${localUrl("authMetrics", "/metrics")} (auth), :${LISTENERS.profileMetrics.port} (profile), :${LISTENERS.workerMetrics.port} (worker, with the Temporal SDK's)
  OpenID provider   ${localUrl("authPublic", "/oidc")}   (discovery: /oidc/.well-known/openid-configuration)
                    SPA client (public, PKCE)      ${oauth.spa.clientId}   redirect ${oauth.spa.redirectUri}
                    service client (credentials)   ${oauth.service.clientId}   secret in .data/oauth-clients.json
  databases         auth ${redactPassword(authDatabaseUrl)}
                    profile ${redactPassword(profileDatabaseUrl)}

Register a user, then find the verification code in the mail (README, "The account journey"):

  curl -s ${localUrl("authPublic", "/flowshield.auth.v1.AuthService/Register")} \\
    -H 'content-type: application/json' \\
    -d '{"email":"ada@example.com","password":"analytical engine 1843","username":"ada","displayName":"Ada Lovelace"}'
`);
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

main().catch((err: unknown) => {
  console.error("[dev] failed to start:", err instanceof Error ? err.message : err);
  void shutdown(1);
});
