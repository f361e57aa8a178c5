import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { DockerComposeEnvironment, type StartedDockerComposeEnvironment } from "testcontainers";
import { tlsFilesIn, type TlsFiles } from "@flowshield/common/runtime/tls-files";

// docker-compose.yml brought up through testcontainers' compose support, the way `make
// compose-test` runs it (scripts/compose-test.ts passes the compose binary, the secrets file and
// the override files). The tests reach the stack only through its published ports.
const ROOT = path.resolve(__dirname, "..", "..");
const run = promisify(execFile);

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`${name} is not set: run the compose tests with \`make compose-test\``);
  return value;
}

export const composeSettings = () => ({
  executable: required("COMPOSE_BIN"),
  envFile: required("COMPOSE_ENV_FILE"),
  files: required("COMPOSE_FILES").split(","),
  project: required("COMPOSE_PROJECT"),
});

// The secrets of the run (deploy/compose-env.sh's output), for the tests that call internal RPCs.
export function composeSecret(name: string): string {
  const line = readFileSync(composeSettings().envFile, "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}=`));
  if (line === undefined) throw new Error(`${name} is not in ${composeSettings().envFile}`);
  return line.slice(name.length + 1);
}

// A party's certificates from the compose stack's .pki/ (deploy/pki.sh, run by deploy/compose-env.sh).
export const composePki = (name: string): TlsFiles => tlsFilesIn(path.join(ROOT, ".pki", name))!;

export async function upComposeStack(): Promise<StartedDockerComposeEnvironment> {
  const settings = composeSettings();
  return (
    new DockerComposeEnvironment(ROOT, settings.files)
      .withProjectName(settings.project)
      .withEnvironmentFile(settings.envFile)
      // Compose v2 as its own binary (`docker-compose up`, not the docker CLI's plugin), with
      // `--wait`: compose itself waits for every health check and one-shot job, in dependency order.
      .withClientOptions({ executable: { executablePath: settings.executable, standalone: true }, commandOptions: ["--wait"] })
      .withStartupTimeout(300_000)
      .up()
  );
}

// A compose command against the running stack (restart, kill, start, ps).
export async function compose(...args: string[]): Promise<string> {
  const settings = composeSettings();
  const files = settings.files.flatMap((f) => ["-f", f]);
  const { stdout } = await run(settings.executable, [...files, "--env-file", settings.envFile, "-p", settings.project, ...args], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

// Memory and CPU of the given containers, one line each, as `docker stats` reports them.
export async function dockerStats(ids: string[]): Promise<string> {
  const { stdout } = await run("docker", ["stats", "--no-stream", "--format", "{{.Name}}\t{{.MemUsage}}\t{{.CPUPerc}}", ...ids]);
  return stdout;
}

export interface ServiceState {
  Service: string;
  State: string;
  Health: string;
  ExitCode: number;
}

// Every container of the project, the one-shot jobs' exited ones too.
export async function serviceStates(): Promise<ServiceState[]> {
  const out = await compose("ps", "--all", "--format", "json");
  return out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as ServiceState);
}

// Mailpit's API (published on 8025): the newest mail to `to` whose subject matches, once it arrives.
export async function mailpitText(to: string, subject: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:8025/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}`);
    const { messages } = (await res.json()) as { messages: Array<{ ID: string; Subject: string }> };
    const found = messages.find((m) => subject.test(m.Subject));
    if (found !== undefined) {
      const message = (await (await fetch(`http://127.0.0.1:8025/api/v1/message/${found.ID}`)).json()) as { Text: string };
      return message.Text;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no mail "${subject.source}" to ${to} reached Mailpit`);
}
