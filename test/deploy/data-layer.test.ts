import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { named, type Obj, render, ROOT } from "./render";

// The data layer (deploy/k8s/data) and the Temporal chart's values (deploy/k8s/temporal) checked
// against each other and against the services: every name one side uses is one the other side
// makes, each database admits only its owner, and each overlay has the redundancy it promises.

jest.setTimeout(60_000);

// The chart's values as Helm merges them: maps merge key by key, anything else is replaced.
type Values = { [key: string]: unknown };
function merge(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const below = out[key];
    const bothMaps = [below, value].every((v) => typeof v === "object" && v !== null && !Array.isArray(v));
    out[key] = bothMaps ? merge(below as Values, value as Values) : value;
  }
  return out;
}
const valuesFile = (name: string) => parse(readFileSync(path.join(ROOT, "deploy", "k8s", "temporal", name), "utf8")) as Values;
const temporalValues = (overlay: string) =>
  overlay === "prod" ? merge(valuesFile("values.yaml"), valuesFile("values-prod.yaml")) : valuesFile("values.yaml");

// What the tests read of the values and the custom resources.
interface CassandraStore {
  hosts: string;
  port: number;
  keyspace: string;
  datacenter: string;
  replicationFactor: number;
  consistency: { default: { consistency: string; serialConsistency: string } };
  createDatabase: boolean;
  manageSchema: boolean;
}
interface SqlStore {
  pluginName: string;
  connectAddr: string;
  databaseName: string;
  user: string;
  existingSecret: string;
  secretKey: string;
  manageSchema: boolean;
}
interface ServerValues {
  image: { tag: string };
  config: {
    persistence: {
      numHistoryShards: number;
      datastores: { default: { cassandra: CassandraStore }; visibility: { sql: SqlStore } };
    };
    namespaces: { create: boolean; namespace: Array<{ name: string }> };
  };
}
interface PostgresCluster {
  instances: number;
  bootstrap: { initdb: { database: string; owner: string } };
  postgresql?: { synchronous?: { number: number } };
  affinity?: { podAntiAffinityType?: string };
}
interface ScyllaRack {
  name: string;
  members: number;
  placement?: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: Array<{ matchExpressions: Array<{ key: string; values: string[] }> }>;
      };
    };
  };
}
interface ScyllaSpec {
  developerMode: boolean;
  version: string;
  datacenter: { name: string; racks: ScyllaRack[] };
}

// The keys of the secret CloudNativePG writes for a cluster's owner, `<cluster>-app`.
const CNPG_APP_SECRET_KEYS = ["username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "pgpass"];

describe.each(["dev", "prod"])("overlay %s: the data layer", (overlay) => {
  let objs: Obj[];
  let server: ServerValues;
  beforeAll(async () => {
    ({ objs } = await render(overlay));
    server = temporalValues(overlay).server as ServerValues;
  });
  const clusters = () => objs.filter((o) => o.kind === "Cluster");
  const postgres = (name: string) => named(objs, "Cluster", name).spec as unknown as PostgresCluster;
  const scylla = () => objs.find((o) => o.kind === "ScyllaCluster")!;
  const scyllaSpec = () => scylla().spec as unknown as ScyllaSpec;
  const expected = overlay === "prod" ? 3 : 1;

  test("every database secret a workload reads is one CloudNativePG makes for a cluster here", () => {
    const refs = objs
      .filter((o) => ["Deployment", "Job"].includes(o.kind))
      .flatMap((o) => o.spec?.template?.spec.containers ?? [])
      .flatMap((c) => c.env ?? [])
      .flatMap((e) => (e.valueFrom?.secretKeyRef === undefined ? [] : [e.valueFrom.secretKeyRef]))
      .filter((ref) => ref.name.endsWith("-db-app"));
    expect(refs.length).toBeGreaterThan(0);
    const clusterNames = clusters().map((c) => c.metadata.name);
    for (const ref of refs) {
      expect([ref.name, clusterNames]).toEqual([ref.name, expect.arrayContaining([ref.name.replace(/-app$/, "")])]);
      expect(CNPG_APP_SECRET_KEYS).toContain(ref.key);
    }
  });

  test("each database admits only its owner, its migrations, its own instances and the operator", () => {
    const owners: Record<string, string[]> = {
      "auth-db": ["auth", "auth-migrate"],
      "profile-db": ["profile", "profile-migrate"],
      "temporal-visibility": ["temporal"],
    };
    expect(
      clusters()
        .map((c) => c.metadata.name)
        .sort(),
    ).toEqual(Object.keys(owners));
    for (const [cluster, apps] of Object.entries(owners)) {
      const rules = objs
        .filter((o) => o.kind === "NetworkPolicy" && o.spec?.podSelector?.matchLabels?.["cnpg.io/cluster"] === cluster)
        .flatMap((p) => p.spec?.ingress ?? []);
      const admitsPostgres = rules.filter((r) => r.ports?.some((p) => p.port === 5432));
      const pods = admitsPostgres
        .flatMap((r) => r.from ?? [])
        .flatMap((f) => (f.podSelector === undefined ? [] : [f.podSelector.matchLabels]));
      expect([cluster, pods]).toEqual([
        cluster,
        [...apps.map((app) => ({ "app.kubernetes.io/name": app })), { "cnpg.io/cluster": cluster }],
      ]);
      const namespaces = admitsPostgres
        .flatMap((r) => r.from ?? [])
        .flatMap((f) => (f.namespaceSelector === undefined ? [] : [f.namespaceSelector]));
      expect([cluster, namespaces]).toEqual([cluster, [{ matchLabels: { "kubernetes.io/metadata.name": "cnpg-system" } }]]);
      // No rule admits everyone.
      expect(rules.filter((r) => r.from === undefined)).toEqual([]);
    }
    const cql = objs
      .filter((o) => o.kind === "NetworkPolicy" && o.spec?.podSelector?.matchLabels?.["scylla/cluster"] === scylla().metadata.name)
      .flatMap((p) => p.spec?.ingress ?? [])
      .filter((r) => r.ports?.some((p) => p.port === 9042));
    expect(cql.flatMap((r) => r.from ?? []).map((f) => f.podSelector?.matchLabels)).toEqual([
      { "app.kubernetes.io/name": "temporal" },
      { "app.kubernetes.io/name": "temporal-keyspace" },
    ]);
  });

  test(`${expected} Postgres instance(s) per cluster and ${expected} ScyllaDB node(s), replicated ${expected} time(s)`, () => {
    for (const c of clusters()) expect([c.metadata.name, postgres(c.metadata.name).instances]).toEqual([c.metadata.name, expected]);
    const racks = scyllaSpec().datacenter.racks;
    expect(racks.reduce((sum, r) => sum + r.members, 0)).toBe(expected);
    // The keyspace job's factor, and the one Temporal is told.
    expect(named(objs, "ConfigMap", "temporal-keyspace").data?.REPLICATION_FACTOR).toBe(String(expected));
    expect(server.config.persistence.datastores.default.cassandra.replicationFactor).toBe(expected);
    if (overlay === "prod") {
      expect(scyllaSpec().developerMode).toBe(false);
      // One rack per zone, each a different zone, so LOCAL_QUORUM survives losing one.
      const zones = racks.map(
        (r) => r.placement?.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]?.matchExpressions[0],
      );
      expect(zones.map((z) => z?.key)).toEqual(Array(3).fill("topology.kubernetes.io/zone"));
      expect(new Set(zones.map((z) => z?.values.join())).size).toBe(3);
      for (const c of clusters()) {
        expect([c.metadata.name, postgres(c.metadata.name).postgresql?.synchronous?.number]).toEqual([c.metadata.name, 1]);
        expect([c.metadata.name, postgres(c.metadata.name).affinity?.podAntiAffinityType]).toEqual([c.metadata.name, "required"]);
      }
      const backedUp = objs.filter((o) => o.kind === "ScheduledBackup").map((b) => (b.spec?.cluster as { name: string }).name);
      expect(backedUp.sort()).toEqual(
        clusters()
          .map((c) => c.metadata.name)
          .sort(),
      );
    } else {
      expect(scyllaSpec().developerMode).toBe(true);
    }
  });

  test("Temporal's values point at the ScyllaCluster, the keyspace the job makes, and the visibility cluster", () => {
    const cql = server.config.persistence.datastores.default.cassandra;
    expect(cql).toMatchObject({
      hosts: `${scylla().metadata.name}-client`,
      port: 9042,
      datacenter: scyllaSpec().datacenter.name,
      consistency: { default: { consistency: "local_quorum", serialConsistency: "local_serial" } },
      // The job makes the keyspace; the chart's schema job fills it.
      createDatabase: false,
      manageSchema: true,
    });
    const script = named(objs, "Job", "temporal-keyspace").spec?.template?.spec.containers[0]?.args?.join("\n") ?? "";
    expect(script).toContain(
      `CREATE KEYSPACE IF NOT EXISTS ${cql.keyspace} WITH replication = $replication AND tablets = {'enabled': false}`,
    );
    expect(script).toContain(`'${scyllaSpec().datacenter.name}': $REPLICATION_FACTOR`);

    const sql = server.config.persistence.datastores.visibility.sql;
    const visibility = postgres("temporal-visibility");
    expect(sql).toMatchObject({
      pluginName: "postgres12",
      connectAddr: "temporal-visibility-rw:5432",
      databaseName: visibility.bootstrap.initdb.database,
      user: visibility.bootstrap.initdb.owner,
      existingSecret: "temporal-visibility-app",
      manageSchema: true,
    });
    expect(CNPG_APP_SECRET_KEYS).toContain(sql.secretKey);
  });

  test("Temporal's values match what auth and the worker are told, and what compose runs", () => {
    // Generated, so named with its content's hash.
    const temporalConfig = objs.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("temporal-config-"))?.data ?? {};
    // The release is `temporal` (the values' install line), so the frontend Service is temporal-frontend.
    expect(readFileSync(path.join(ROOT, "deploy", "k8s", "temporal", "values.yaml"), "utf8")).toContain("helm install temporal temporal ");
    expect(temporalConfig.TEMPORAL_ADDRESS).toBe("temporal-frontend:7233");
    expect(server.config.namespaces.create).toBe(true);
    expect(server.config.namespaces.namespace.map((n) => n.name)).toContain(temporalConfig.TEMPORAL_NAMESPACE);
    // Fixed for the cluster's life: a power of two, as Temporal requires.
    const shards = server.config.persistence.numHistoryShards;
    expect(Number.isInteger(Math.log2(shards))).toBe(true);
    // Mutual TLS on the frontend and between the nodes, on the Certificate the base renders for it.
    const values = temporalValues(overlay) as unknown as {
      server: {
        config: { tls: Record<"frontend" | "internode", { server: { requireClientAuth: boolean } }> };
        additionalVolumes: Array<{ secret?: { secretName: string } }>;
      };
      web: { additionalVolumes: Array<{ secret?: { secretName: string } }> };
      admintools: { additionalVolumes: Array<{ secret?: { secretName: string } }> };
    };
    expect([
      values.server.config.tls.frontend.server.requireClientAuth,
      values.server.config.tls.internode.server.requireClientAuth,
    ]).toEqual([true, true]);
    const certificates = new Set(objs.filter((o) => o.kind === "Certificate").map((o) => (o.spec as { secretName: string }).secretName));
    for (const part of [values.server, values.web, values.admintools])
      for (const volume of part.additionalVolumes)
        expect([volume.secret?.secretName, certificates.has(volume.secret?.secretName ?? "")]).toEqual([volume.secret?.secretName, true]);
    const compose = readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8");
    expect(compose).toContain(`image: temporalio/server:${server.image.tag}\n`);
    expect(compose).toContain(`image: scylladb/scylla:${scyllaSpec().version.split(".").slice(0, 2).join(".")}\n`);
  });

  test("Temporal's dynamic configuration is the one compose and the local cluster load", () => {
    const file = parse(readFileSync(path.join(ROOT, "deploy", "temporal", "dynamic-config.yaml"), "utf8")) as Values;
    expect(Object.keys(file)).toContain("system.enableActivityEagerExecution");
    expect((temporalValues(overlay) as { server: { dynamicConfig: Values } }).server.dynamicConfig).toEqual(file);
    expect(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8")).toContain(
      "./deploy/temporal/dynamic-config.yaml:/etc/temporal/config/dynamic-config.yaml:ro",
    );
  });
});
