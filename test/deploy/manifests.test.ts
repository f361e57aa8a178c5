import { parseTrustedProxies } from "@flowshield/common/runtime/client-address";
import { authConfigFromEnv } from "@flowshield/auth/config";
import { createLogger } from "@flowshield/common/observability/logger";
import { shutdownGraceMs } from "@flowshield/common/runtime/main-runner";
import { tracingEnabled, tracingProtocol } from "@flowshield/common/observability/tracing";
import { profileConfigFromEnv } from "@flowshield/profile/config";
import { mailSettingsFromEnv } from "@flowshield/common/mail/mailer";
import { workerMetricsFromEnv, workerProcessFromEnv, workerSettingsFromEnv } from "@flowshield/workflows/worker-config";
import { named, type Container, type Obj, render, validate } from "./render";

// deploy/k8s rendered by kustomize (pinned, built into .tools/ by `make test`), and the project's
// rules checked on what it renders: every container is bounded, probed and unprivileged; every
// internal port admits only its caller; every variable a Deployment sets is one its process reads,
// and the process starts its configuration from what is set (its own config loaders parse it).

jest.setTimeout(60_000);

const podSpecOf = (o: Obj) => {
  const pod = o.spec?.template?.spec;
  if (pod === undefined) throw new Error(`${o.kind}/${o.metadata.name} has no pod template`);
  return pod;
};
const workloads = (objs: Obj[]) => objs.filter((o) => ["Deployment", "Job"].includes(o.kind));

describe.each(["dev", "prod"])("overlay %s", (overlay) => {
  let rendered: string;
  let objs: Obj[];
  beforeAll(async () => {
    ({ rendered, objs } = await render(overlay));
  });

  test("every object validates strictly against the Kubernetes API's types", async () => {
    const { code, output } = await validate(rendered);
    expect([code, output]).toEqual([0, `${objs.length} objects valid\n`]);
    // A field the API does not have is refused, naming it.
    const broken = await validate(
      rendered.replace("serviceAccountName: auth\n", "serviceAccountName: auth\n      serviceAcountName: auth\n"),
    );
    expect(broken.code).toBe(1);
    expect(broken.output).toContain('unknown field "serviceAcountName"');
  });

  test("custom resources validate against their operators' CRDs: unknown fields, types and CEL rules", async () => {
    const broken = await validate(
      rendered
        .replace("  automaticOrphanedNodeCleanup: true\n", "  automaticOrphanedNodeCleanup: true\n  developerMod: true\n")
        .replace("    initdb:\n      database: auth\n", "    initdb:\n      database: 5\n")
        .replace(
          "  instances: ",
          "  imageCatalogRef: { apiGroup: postgresql.cnpg.io, kind: ImageCatalog, name: pg, major: 17 }\n  instances: ",
        )
        .replace("\n  secretName: worker-internal-tls\n", "\n  secretName: worker-internal-tls\n  comonName: worker\n"),
    );
    expect(broken.code).toBe(1);
    expect(broken.output).toContain('Certificate worker-internal-tls: unknown field "spec.comonName"');
    expect(broken.output).toContain('ScyllaCluster temporal-scylla: unknown field "spec.developerMod"');
    expect(broken.output).toContain("Cluster auth-db: spec.bootstrap.initdb.database: Invalid value");
    expect(broken.output).toContain("Cluster auth-db: spec: Invalid value: imageName and imageCatalogRef are mutually exclusive");
  });

  test("renders the services, their Services, jobs, budgets, autoscalers and policies", () => {
    const names = (kind: string) =>
      objs
        .filter((o) => o.kind === kind)
        .map((o) => o.metadata.name)
        .sort();
    expect(names("Deployment")).toEqual(["auth", "profile", "worker"]);
    expect(names("Service")).toEqual([
      "auth-internal",
      "auth-metrics",
      "auth-public",
      "profile-internal",
      "profile-metrics",
      "profile-public",
      "worker-metrics",
    ]);
    expect(names("Job")).toEqual(["auth-migrate", "profile-migrate", "temporal-keyspace"]);
    expect(names("Cluster")).toEqual(["auth-db", "profile-db", "temporal-visibility"]);
    expect(names("ScyllaCluster")).toEqual(["temporal-scylla"]);
    expect(names("PodDisruptionBudget")).toEqual(["auth", "profile", "worker"]);
    expect(names("HorizontalPodAutoscaler")).toEqual(["auth", "profile", "worker"]);
    expect(names("Secret")).toEqual([]);
    for (const o of objs)
      expect([o.kind, o.metadata.name, (o.metadata as { namespace?: string }).namespace]).toEqual([
        o.kind,
        o.metadata.name,
        overlay === "dev" ? "flowshield-dev" : "flowshield",
      ]);
  });

  test("mutual TLS: each internal listener and Temporal's frontend on an authority of its own, each caller's certificate naming it", () => {
    // What a Deployment's container is given in a TLS directory variable: the cert-manager
    // Certificate behind the Secret mounted there.
    const certificateAt = (deployment: string, variable: string) => {
      const pod = podSpecOf(named(objs, "Deployment", deployment)) as unknown as {
        containers: Array<Container & { volumeMounts?: Array<{ name: string; mountPath: string }> }>;
        volumes: Array<{ name: string; secret?: { secretName: string } }>;
      };
      const container = pod.containers[0]!;
      const dir = container.env?.find((e) => e.name === variable)?.value;
      if (dir === undefined) return undefined;
      const mount = container.volumeMounts?.find((m) => m.mountPath === dir);
      const secret = pod.volumes.find((v) => v.name === mount?.name)?.secret?.secretName;
      const certificate = objs.find((o) => o.kind === "Certificate" && (o.spec as { secretName?: string }).secretName === secret);
      const spec = certificate?.spec as { commonName: string; usages: string[]; dnsNames?: string[]; issuerRef: { name: string } };
      return { issuer: spec.issuerRef.name, name: spec.commonName, usages: spec.usages, dnsNames: spec.dnsNames ?? [] };
    };
    const env = (deployment: string, name: string) =>
      podSpecOf(named(objs, "Deployment", deployment)).containers[0]!.env?.find((e) => e.name === name)?.value;
    for (const [service, port] of [
      ["auth", 9081],
      ["profile", 9082],
    ] as const) {
      expect(certificateAt(service, "INTERNAL_TLS_DIR")).toMatchObject({
        issuer: "flowshield-internal",
        usages: ["server auth"],
        dnsNames: expect.arrayContaining([`${service}-internal`]) as string[],
      });
      const url = `https://${service}-internal:${port}`;
      expect(env("worker", `${service.toUpperCase()}_INTERNAL_URL`)).toBe(url);
      const internal = named(objs, "Service", `${service}-internal`).spec as { ports: Array<{ appProtocol: string }> };
      expect(internal.ports.map((p) => p.appProtocol)).toEqual(["https"]);
    }
    // The worker's certificate names it (the listeners bind its credential to that name).
    expect(certificateAt("worker", "INTERNAL_TLS_DIR")).toMatchObject({
      issuer: "flowshield-internal",
      name: "worker",
      usages: ["client auth"],
    });
    // Temporal's clients: auth and the worker, of the other authority; profile is none of them.
    for (const client of ["auth", "worker"])
      expect(certificateAt(client, "TEMPORAL_TLS_DIR")).toMatchObject({
        issuer: "flowshield-temporal",
        name: client,
        usages: ["client auth"],
      });
    expect(certificateAt("profile", "TEMPORAL_TLS_DIR")).toBeUndefined();
    // The frontend's own certificate answers to the address its clients are given.
    const frontend = objs.find((o) => o.kind === "Certificate" && o.metadata.name === "temporal-frontend-tls")!.spec as {
      dnsNames: string[];
      issuerRef: { name: string };
    };
    const temporalConfig = objs.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("temporal-config-"))?.data ?? {};
    const temporalHost = (temporalConfig.TEMPORAL_ADDRESS ?? "").split(":")[0];
    expect([frontend.issuerRef.name, frontend.dnsNames]).toEqual(["flowshield-temporal", expect.arrayContaining([temporalHost])]);
  });

  test("every container has resources, probes (services) and an unprivileged, read-only security context", () => {
    for (const w of workloads(objs)) {
      const pod = podSpecOf(w);
      expect([w.metadata.name, pod.securityContext]).toMatchObject([
        w.metadata.name,
        { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      ]);
      for (const c of pod.containers) {
        const where = `${w.kind}/${w.metadata.name}/${c.name}`;
        expect([where, c.resources]).toMatchObject([
          where,
          { requests: { cpu: expect.anything(), memory: expect.anything() }, limits: { memory: expect.anything() } },
        ]);
        expect([where, c.securityContext]).toEqual([
          where,
          { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        ]);
        if (w.kind === "Deployment") {
          expect([where, c.readinessProbe?.grpc?.service, c.livenessProbe?.grpc?.service]).toEqual([where, "", "liveness"]);
          // The kubelet waits longer than the process drains.
          expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThan(shutdownGraceMs());
        }
      }
    }
  });

  test("each internal port admits only the worker, and the worker admits no one", () => {
    const policies = objs.filter((o) => o.kind === "NetworkPolicy");
    const selecting = (app: string) => policies.filter((p) => p.spec?.podSelector?.matchLabels?.["app.kubernetes.io/name"] === app);
    for (const [app, port] of [
      ["auth", 9081],
      ["profile", 9082],
    ] as const) {
      expect(selecting(app).length).toBeGreaterThan(0);
      const admitting = selecting(app)
        .flatMap((p) => p.spec?.ingress ?? [])
        .filter((rule) => rule.ports === undefined || rule.ports.some((p) => p.port === port));
      expect([app, admitting]).toEqual([
        app,
        [{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "worker" } } }], ports: [{ port }] }],
      ]);
    }
    // The worker: only Prometheus, on its metrics port.
    expect(selecting("worker").map((p) => p.spec?.ingress)).toEqual([[PROMETHEUS(9183)]]);
  });

  const PROMETHEUS = (port: number) => ({
    from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
    ports: [{ port }],
  });

  test.each([
    ["auth", 9181],
    ["profile", 9182],
    ["worker", 9183],
  ] as const)("%s: its metrics port is the one its process serves, behind a Service, open only to Prometheus", (app, port) => {
    const deployment = named(objs, "Deployment", app);
    const [container] = podSpecOf(deployment).containers;
    expect(container?.ports?.find((p) => p.name === "metrics")?.containerPort).toBe(port);
    // The process's own config puts its metrics listener there (nothing set overrides the default).
    const env = renderedEnv(deployment);
    const served = {
      auth: () => authConfigFromEnv().metricsPort,
      profile: () => profileConfigFromEnv().metricsPort,
      worker: () => workerMetricsFromEnv().port,
    };
    expect(withEnv(env, served[app])).toBe(port);
    const service = named(objs, "Service", `${app}-metrics`);
    expect(service.spec?.ports).toEqual([{ name: "metrics", port, targetPort: "metrics" }]);
    const admitting = objs
      .filter((o) => o.kind === "NetworkPolicy" && o.spec?.podSelector?.matchLabels?.["app.kubernetes.io/name"] === app)
      .flatMap((p) => p.spec?.ingress ?? [])
      .filter((rule) => rule.ports === undefined || rule.ports.some((p) => p.port === port));
    expect(admitting).toEqual([PROMETHEUS(port)]);
    if (overlay === "prod") {
      // The monitoring component's ServiceMonitor selects the Service, by its port's name.
      const monitor = objs.find((o) => o.kind === "ServiceMonitor")!;
      const selector = (monitor.spec?.selector as { matchLabels: Record<string, string> }).matchLabels;
      const labels = service.metadata.labels ?? {};
      expect(Object.entries(selector).every(([k, v]) => labels[k] === v)).toBe(true);
      expect((monitor.spec?.endpoints as Array<{ port: string }>).map((e) => e.port)).toEqual(["metrics"]);
    } else {
      expect(objs.filter((o) => o.kind === "ServiceMonitor")).toEqual([]);
    }
  });

  // What each role's process reads of its environment, by running its own config loaders over a
  // recording environment.
  const LOADERS: Record<string, () => unknown> = {
    auth: () => [authConfigFromEnv(), createLogger("check"), shutdownGraceMs(), tracingEnabled(), tracingProtocol()],
    profile: () => [profileConfigFromEnv(), createLogger("check"), shutdownGraceMs(), tracingEnabled(), tracingProtocol()],
    worker: () => [
      workerSettingsFromEnv(),
      mailSettingsFromEnv(),
      workerProcessFromEnv(),
      workerMetricsFromEnv(),
      createLogger("check"),
      shutdownGraceMs(),
      tracingEnabled(),
      tracingProtocol(),
    ],
  };
  // Read by Node itself, not by our code.
  const NODE_RUNTIME = new Set(["NODE_OPTIONS", "UV_THREADPOOL_SIZE"]);
  // A stand-in for each secret, of the shape its loader checks.
  const SECRET_VALUES: Record<string, string> = {
    SERVICE_CREDENTIAL: "s".repeat(40),
    OPERATOR_CREDENTIAL: "o".repeat(40),
    PAYLOAD_KEYS: `k8s:${Buffer.alloc(32, 1).toString("base64")}`,
    AUTH_DATABASE_URL: "postgres://auth:secret@auth-db-rw:5432/auth",
    PROFILE_DATABASE_URL: "postgres://profile:secret@profile-db-rw:5432/profile",
  };

  function renderedEnv(deployment: Obj): Record<string, string> {
    const [container] = podSpecOf(deployment).containers;
    if (container === undefined) throw new Error(`${deployment.metadata.name} has no container`);
    const env: Record<string, string> = {};
    for (const from of container.envFrom ?? []) {
      const map = objs.find((o) => o.kind === "ConfigMap" && o.metadata.name === from.configMapRef.name);
      expect([from.configMapRef.name, map !== undefined]).toEqual([from.configMapRef.name, true]);
      Object.assign(env, map?.data);
    }
    for (const e of container.env ?? []) env[e.name] = e.value ?? SECRET_VALUES[e.name] ?? `secret ${e.name}`;
    return env;
  }

  // Runs fn with process.env replaced by env, noting every variable it reads.
  function withEnv<T>(env: Record<string, string>, fn: () => T, reads = new Set<string>()): T {
    const saved = process.env;
    process.env = new Proxy(
      { ...env },
      {
        get(target, key) {
          if (typeof key === "string") reads.add(key);
          return (target as Record<string | symbol, unknown>)[key];
        },
      },
    ) as NodeJS.ProcessEnv;
    try {
      return fn();
    } finally {
      process.env = saved;
    }
  }

  function load(role: string, env: Record<string, string>): Set<string> {
    const reads = new Set<string>();
    withEnv(env, LOADERS[role]!, reads);
    return reads;
  }

  test.each(["auth", "profile", "worker"])("%s: its own config loaders accept what is set, and read every variable set", (role) => {
    const env = renderedEnv(named(objs, "Deployment", role));
    const reads = load(role, env);
    expect(Object.keys(env).filter((name) => !reads.has(name) && !NODE_RUNTIME.has(name))).toEqual([]);
  });

  test("auth believes X-Forwarded-* from no range that other pods share", () => {
    const trusted = parseTrustedProxies(renderedEnv(named(objs, "Deployment", "auth")).TRUSTED_PROXIES ?? "");
    // A pod anywhere in a private range a cluster's pods use would be believed as any client.
    for (const pod of ["10.1.2.3", "10.244.0.7", "172.16.5.9", "192.168.3.4", "100.64.1.1"])
      expect([pod, trusted.check(pod, "ipv4")]).toEqual([pod, false]);
  });

  test("traces are on in prod (the tracing component) for every process, and off in dev", () => {
    for (const role of ["auth", "profile", "worker"]) {
      const env = renderedEnv(named(objs, "Deployment", role));
      expect([role, tracingEnabled(env)]).toEqual([role, overlay === "prod"]);
      if (overlay === "prod") expect(["grpc", "http/protobuf", "http/json"]).toContain(tracingProtocol(env));
    }
  });

  test("a Deployment without a required variable would not start: the loaders refuse it", () => {
    const env = renderedEnv(named(objs, "Deployment", "auth"));
    const { SERVICE_CREDENTIAL: _, ...without } = env;
    expect(() => load("auth", without)).toThrow("SERVICE_CREDENTIAL");
  });
});
