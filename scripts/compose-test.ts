// `make compose-test`: the container tier on a real Docker engine. Starts the engine if none is
// running, builds the stand-in images this machine cannot pull (deploy/local-images.sh) and
// FlowShield's image (Dockerfile), runs the repository tests against Postgres containers
// (testcontainers' PostgreSqlContainer) and the black-box tests against docker-compose.yml brought
// up through testcontainers' compose support, then leaves no container, network or volume of its
// own behind — nor the engine, when it started it.
import { oneAddressLoadEnv } from "./load-generator-env";
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ensureDockerEngine } from "./docker-engine";
import { ROOT } from "./root";

const run = promisify(execFile);
const IMAGE = "flowshield:dev";
// The override puts Cassandra 5 in ScyllaDB's place: no ScyllaDB image can be had here.
const COMPOSE_FILES = ["docker-compose.yml", "docker-compose.cassandra.yml"];
const PROJECT = "flowshield-compose-test";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set: run \`make compose-test\``);
  return value;
}

// A child process with the terminal, resolved with its exit code.
function step(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<number> {
  const child = spawn(command, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

async function mustSucceed(what: string, command: string, args: string[]): Promise<void> {
  const started = Date.now();
  const code = await step(command, args);
  if (code !== 0) throw new Error(`${what} failed (exit ${code})`);
  console.log(`${what}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

// The machine's own CA certificates (Debian keeps them in /usr/local/share/ca-certificates), for
// the image's npm install behind a TLS-inspecting proxy: none, no build argument.
async function extraCaCerts(): Promise<string[]> {
  const dir = "/usr/local/share/ca-certificates";
  const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith(".crt"));
  const pems = await Promise.all(files.map((f) => readFile(path.join(dir, f), "utf8")));
  return pems.length > 0 ? ["--build-arg", `EXTRA_CA_CERTS=${pems.join("\n")}`] : [];
}

// What this run made of a kind (container, network, volume): the compose project's, and
// testcontainers' own.
async function ours(kind: "container" | "network" | "volume"): Promise<string[]> {
  const ids = new Set<string>();
  for (const label of [`com.docker.compose.project=${PROJECT}`, "org.testcontainers=true"]) {
    const list = kind === "container" ? ["ps", "--all"] : [kind, "ls"];
    const { stdout } = await run("docker", [...list, "--quiet", "--filter", `label=${label}`]);
    for (const id of stdout.split("\n").filter(Boolean)) ids.add(id);
  }
  return [...ids];
}

// Whatever the tests left (a failed run's stack included): down with its volumes, then anything
// of ours still there, removed — and counted as a failure, since the tests should have.
async function cleanUp(compose: string, composeArgs: string[], envFile: string): Promise<number> {
  await run(compose, [...composeArgs, "--env-file", envFile, "down", "--volumes", "--remove-orphans"], { cwd: ROOT }).catch(
    () => undefined,
  );
  let leftovers = 0;
  try {
    for (const kind of ["container", "network", "volume"] as const) {
      const left = await ours(kind);
      if (left.length === 0) continue;
      console.error(`${kind}s left behind: ${left.join(" ")}; removing them`);
      await run("docker", [kind, "rm", ...(kind === "network" ? [] : ["--force"]), ...left]);
      leftovers++;
    }
  } catch (err) {
    console.error(err);
    leftovers++;
  }
  return leftovers;
}

async function main(): Promise<number> {
  const compose = required("COMPOSE_BIN");
  const dir = await mkdtemp(path.join(os.tmpdir(), "flowshield-compose-"));
  const engine = await ensureDockerEngine(path.join(dir, "dockerd.log"));
  const composeArgs = [...COMPOSE_FILES.flatMap((f) => ["-f", f]), "-p", PROJECT];
  let failed = 0;
  try {
    await mustSucceed("the stand-in images (deploy/local-images.sh)", "bash", ["deploy/local-images.sh"]);
    await mustSucceed(`the image ${IMAGE} (Dockerfile)`, "docker", ["build", "--quiet", ...(await extraCaCerts()), "--tag", IMAGE, "."]);
    const { stdout: sizes } = await run("docker", ["image", "ls", "--format", "{{.Repository}}:{{.Tag}} {{.Size}}"]);
    console.log(`images:\n${sizes}`);

    // Fresh secrets for this run (as a newcomer makes them); limits a burst of tests from one
    // address would trip, raised.
    const envFile = path.join(dir, "compose.env");
    const { stdout: secrets } = await run("bash", ["deploy/compose-env.sh"], { cwd: ROOT });
    const load = Object.entries(oneAddressLoadEnv(1_000_000)).map(([name, value]) => `${name}=${value}\n`);
    await writeFile(envFile, `${secrets}${load.join("")}LOG_LEVEL=warn\n`);
    // No reaper: its image (ryuk) cannot be pulled here, and this script removes what the tests
    // leave. Host ports are checked on 127.0.0.1, where the compose file publishes the operator
    // ports: "localhost" resolves to ::1 first, where nothing is published.
    const containers = { TESTCONTAINERS_RYUK_DISABLED: "true", TESTCONTAINERS_HOST_OVERRIDE: "127.0.0.1" };

    const repositories = await step(process.execPath, ["--import", "tsx", "scripts/test.ts", "test/repository"], {
      ...containers,
      DATABASES: "containers",
    });
    const stackTests = await step(
      process.execPath,
      [require.resolve("jest/bin/jest"), "--testMatch", "**/test/compose/**/*.compose-test.ts", "--runInBand"],
      {
        ...containers,
        COMPOSE_BIN: compose,
        COMPOSE_ENV_FILE: envFile,
        COMPOSE_FILES: COMPOSE_FILES.join(","),
        COMPOSE_PROJECT: PROJECT,
      },
    );
    failed = (repositories !== 0 ? 1 : 0) + (stackTests !== 0 ? 1 : 0);
  } catch (err) {
    console.error(err);
    failed++;
  } finally {
    failed += await cleanUp(compose, composeArgs, path.join(dir, "compose.env"));
    await engine.stop();
    if (engine.startedHere) console.log("the Docker engine this run started is stopped, and the network is as it was");
    await rm(dir, { recursive: true, force: true });
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
