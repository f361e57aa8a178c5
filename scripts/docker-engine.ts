// The Docker engine `make compose-test` runs on: the one already running when there is one (a
// developer's Docker Desktop, say), left as it is; otherwise Debian's docker.io (dockerd +
// containerd), installed if missing and started here as root with stock settings, then stopped
// at the end — with the machine's packet filter rules, IP forwarding and network interfaces put
// back as they were, since the engine changes all three.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { pollUntil } from "./poll";
import { stopProcess } from "./stack";

const run = promisify(execFile);
const IP_FORWARD = "/proc/sys/net/ipv4/ip_forward";

async function answers(command: string, args: string[]): Promise<boolean> {
  return run(command, args, { timeout: 10_000 }).then(
    () => true,
    () => false,
  );
}

const engineAnswers = () => answers("docker", ["info", "--format", "{{.ServerVersion}}"]);

async function interfaces(): Promise<Set<string>> {
  const { stdout } = await run("ip", ["-o", "link", "show"]);
  return new Set(stdout.split("\n").flatMap((line) => /^\d+: ([^:@]+)/.exec(line)?.[1] ?? []));
}

// What the engine changes, to be put back: each table's rules (iptables-save's text; an empty
// one where nothing was loaded), forwarding, and which interfaces exist.
interface MachineNetwork {
  rules: Record<"iptables" | "ip6tables", string>;
  ipForward: string;
  links: Set<string>;
}

async function saveRules(family: "iptables" | "ip6tables"): Promise<string> {
  return (await run(`${family}-save`, [])).stdout;
}

async function snapshot(): Promise<MachineNetwork> {
  return {
    rules: { iptables: await saveRules("iptables"), ip6tables: await saveRules("ip6tables") },
    ipForward: (await readFile(IP_FORWARD, "utf8")).trim(),
    links: await interfaces(),
  };
}

// Flushes what the engine added (its chains in the filter and nat tables, a FORWARD policy of
// DROP), then loads the rules that were there before.
async function restore(before: MachineNetwork): Promise<void> {
  for (const family of ["iptables", "ip6tables"] as const) {
    for (const table of ["filter", "nat"]) {
      await run(family, ["-t", table, "-F"]).catch(() => undefined);
      await run(family, ["-t", table, "-X"]).catch(() => undefined);
    }
    for (const chain of ["INPUT", "FORWARD", "OUTPUT"]) await run(family, ["-P", chain, "ACCEPT"]).catch(() => undefined);
    const saved = before.rules[family];
    if (saved.trim() !== "") {
      const restoring = spawn(`${family}-restore`, [], { stdio: ["pipe", "ignore", "inherit"] });
      restoring.stdin.end(saved);
      await new Promise((resolve) => restoring.once("exit", resolve));
    }
  }
  await writeFile(IP_FORWARD, `${before.ipForward}\n`);
  for (const link of await interfaces()) if (!before.links.has(link)) await run("ip", ["link", "delete", link]).catch(() => undefined);
}

export interface DockerEngine {
  // Whether this run started the engine (and stop() will stop it).
  startedHere: boolean;
  stop(): Promise<void>;
}

export async function ensureDockerEngine(logFile: string): Promise<DockerEngine> {
  if (await engineAnswers()) return { startedHere: false, stop: async () => undefined };
  if (process.getuid?.() !== 0) throw new Error("no Docker engine answers, and starting one needs root: start Docker, then run this again");
  if (!(await answers("sh", ["-c", "command -v dockerd && command -v iptables-save"]))) {
    console.log("Installing Debian's docker.io (the Docker engine) ...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () => run("apt-get", ["install", "-y", "-q", "docker.io"], { env });
    // Package lists that are missing or stale: fetched once, then the install is tried again.
    await install().catch(async () => {
      await run("apt-get", ["update", "-q"], { env });
      await install();
    });
    // Where the package's service starts the engine itself (systemd), that one is used.
    if (await engineAnswers()) return { startedHere: false, stop: async () => undefined };
  }
  const before = await snapshot();
  const log = createWriteStream(logFile);
  const dockerd: ChildProcess = spawn("dockerd", [], { stdio: ["ignore", "pipe", "pipe"] });
  dockerd.stdout?.pipe(log);
  dockerd.stderr?.pipe(log);
  const stop = async () => {
    await stopProcess(dockerd, 30_000);
    await restore(before);
  };
  try {
    await pollUntil("the Docker engine", engineAnswers, { process: dockerd, timeoutMs: 60_000, intervalMs: 500 });
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message} (its log: ${logFile})`);
  }
  return { startedHere: true, stop };
}
