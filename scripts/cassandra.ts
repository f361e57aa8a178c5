// Apache Cassandra 5.0 for the local Temporal cluster (`make dev TEMPORAL=cluster`, the cluster
// tests): the jars Maven Central serves (`make cassandra` copies cassandra-all and its runtime
// dependencies into .tools/), run by the machine's JDK 17 as a child process of ours. Production
// runs ScyllaDB, which speaks the same CQL (README, "The Temporal cluster").
import { spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { pollUntil, portOpen } from "./poll";
import { ROOT } from "./root";
import { stopProcess, type Stoppable } from "./stack";

export const CASSANDRA_VERSION = "5.0.9";
const LIB = path.join(ROOT, ".tools", `cassandra-${CASSANDRA_VERSION}`, "lib");

// Cassandra 5.0's conf/jvm17-server.options: the module system openings it needs on JDK 17.
const JDK17_OPENINGS = [
  "-Djdk.attach.allowAttachSelf=true",
  ...[
    "java.base/jdk.internal.misc",
    "java.management.rmi/com.sun.jmx.remote.internal.rmi",
    "java.rmi/sun.rmi.registry",
    "java.rmi/sun.rmi.server",
    "java.sql/java.sql",
    "java.base/java.lang.ref",
    "jdk.unsupported/sun.misc",
    "jdk.compiler/com.sun.tools.javac.file",
    "jdk.attach/sun.tools.attach",
  ].map((p) => `--add-exports=${p}=ALL-UNNAMED`),
  ...[
    "java.base/java.lang.module",
    "java.base/jdk.internal.loader",
    "java.base/jdk.internal.ref",
    "java.base/jdk.internal.reflect",
    "java.base/jdk.internal.math",
    "java.base/jdk.internal.module",
    "java.base/jdk.internal.util.jar",
    "jdk.management/com.sun.management.internal",
    "java.base/sun.nio.ch",
    "java.base/java.io",
    "java.base/java.lang.reflect",
    "jdk.compiler/com.sun.tools.javac",
    "java.base/java.lang",
    "java.base/java.util",
  ].map((p) => `--add-opens=${p}=ALL-UNNAMED`),
  "-Dio.netty.tryReflectionSetAccessible=true",
];

export interface RunningCassandra extends Stoppable {
  // host:port of the CQL native protocol.
  address: string;
}

// One node, its data under `dir` (kept across restarts), CQL on `port`, a small heap.
export async function startCassandra(options: {
  dir: string;
  port: number;
  storagePort: number;
  heapMb?: number;
  quiet?: boolean;
}): Promise<RunningCassandra> {
  if (!existsSync(LIB)) throw new Error(`Cassandra ${CASSANDRA_VERSION} is not installed: run \`make cassandra\``);
  const conf = path.join(options.dir, "conf");
  await mkdir(conf, { recursive: true });
  const sub = (name: string) => path.join(options.dir, name);
  await writeFile(
    path.join(conf, "cassandra.yaml"),
    [
      "cluster_name: flowshield-local",
      "num_tokens: 16",
      "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
      `data_file_directories: [${JSON.stringify(sub("data"))}]`,
      `commitlog_directory: ${JSON.stringify(sub("commitlog"))}`,
      `saved_caches_directory: ${JSON.stringify(sub("saved_caches"))}`,
      `hints_directory: ${JSON.stringify(sub("hints"))}`,
      `cdc_raw_directory: ${JSON.stringify(sub("cdc_raw"))}`,
      "commitlog_sync: periodic",
      "commitlog_sync_period: 10000ms",
      "seed_provider:",
      "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
      "    parameters:",
      `      - seeds: "127.0.0.1:${options.storagePort}"`,
      "listen_address: 127.0.0.1",
      `storage_port: ${options.storagePort}`,
      "rpc_address: 127.0.0.1",
      `native_transport_port: ${options.port}`,
      "start_native_transport: true",
      "endpoint_snitch: SimpleSnitch",
      "",
    ].join("\n"),
  );
  // Warnings and errors only, on stderr.
  await writeFile(
    path.join(conf, "logback.xml"),
    '<configuration><appender name="ERR" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>' +
      "<encoder><pattern>[cassandra] %level %logger{0} %msg%n</pattern></encoder></appender>" +
      '<root level="WARN"><appender-ref ref="ERR"/></root></configuration>\n',
  );
  const jamm = (await readdir(LIB)).find((f) => /^jamm-.*\.jar$/.test(f));
  const heap = `${options.heapMb ?? 384}m`;
  const child = spawn(
    "java",
    [
      `-Xms${heap}`,
      `-Xmx${heap}`,
      "-XX:+UseG1GC",
      "-XX:+ExitOnOutOfMemoryError",
      ...JDK17_OPENINGS,
      ...(jamm !== undefined ? [`-javaagent:${path.join(LIB, jamm)}`] : []),
      `-Dcassandra.config=file://${path.join(conf, "cassandra.yaml")}`,
      `-Dlogback.configurationFile=${path.join(conf, "logback.xml")}`,
      "-Dcassandra-foreground=yes",
      "-Dcassandra.jmx.local.port=0",
      "-cp",
      `${conf}:${LIB}/*`,
      "org.apache.cassandra.service.CassandraDaemon",
    ],
    { stdio: ["ignore", "ignore", options.quiet ? "pipe" : "inherit"] },
  );
  // Quiet: its warnings go to a file beside its data, and the last lines explain a failed start.
  if (options.quiet) child.stderr?.pipe(createWriteStream(path.join(options.dir, "cassandra.log")));
  const address = `127.0.0.1:${options.port}`;
  await pollUntil("Cassandra", () => portOpen(options.port), { process: child, timeoutMs: 90_000, intervalMs: 500 }).catch(
    async (err: Error) => {
      const log = await readFile(path.join(options.dir, "cassandra.log"), "utf8").catch(() => "");
      throw new Error(`${err.message}${log !== "" ? `; its last lines:\n${log.split("\n").slice(-15).join("\n")}` : ""}`);
    },
  );
  return { address, stop: () => stopProcess(child, 30_000) };
}
