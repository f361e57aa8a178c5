// The architecture's dependency rules, checked by `make lint` (part of `make test`):
// domain code does no I/O, use cases depend on interfaces, workflow code imports only
// deterministic code, no service reaches into another, and tests and the benchmark use each
// package's declared entry points (package.json "exports").
const IO = [
  "^node_modules/(kysely|pg|pg-pool|@connectrpc|@temporalio|jose|bcrypt|pino)/",
  "^(fs|net|http|http2|child_process)(/|$)",
  "^gen/",
];
// A layer's folder, directly in a small service's src/ or in one of its capability folders
// (services/auth/src/<capability>/<layer>/).
const layer = (name) => [`^services/[^/]+/src/${name}/`, `^services/[^/]+/src/[^/]+/${name}/`];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-without-io",
      comment: "Domain code is rules and types: no database, network, crypto library, generated code, Connect or Temporal.",
      severity: "error",
      from: { path: [...layer("domain"), "^common/src/contract/(validation|errors)\\.ts$"] },
      to: { path: [...IO, ...layer("(app|adapters|ports)")] },
    },
    {
      name: "use-cases-over-interfaces",
      comment: "Use cases see the world through app/dependencies.ts: never an adapter, a port, a driver or a protocol.",
      severity: "error",
      from: { path: layer("app") },
      to: { path: [...IO, ...layer("(adapters|ports)")], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "adapters-not-ports",
      comment: "Adapters implement the use cases' interfaces; they do not call the handlers.",
      severity: "error",
      from: { path: layer("adapters") },
      to: { path: layer("ports") },
    },
    {
      name: "fakes-only-in-tests",
      comment: "The in-memory fakes of a service's interfaces (src/testing/) are for its unit tests, never for the code that runs.",
      severity: "error",
      from: { pathNot: "(\\.test\\.ts|/testing/[^/]+\\.ts)$" },
      to: { path: "^services/[^/]+/src/testing/" },
    },
    {
      name: "deterministic-workflows",
      comment: "Workflow code (bundled and replayed by Temporal) imports only @temporalio/workflow, types, and other workflow code.",
      severity: "error",
      from: {
        path: [
          "^workflows/src/[^/]+/workflow\\.ts$",
          "^workflows/src/workflows\\.ts$",
          "^workflows/src/request-context/workflow-interceptors\\.ts$",
          "^common/src/temporal/request-id-header\\.ts$",
        ],
      },
      to: {
        pathNot: [
          "^node_modules/@temporalio/(workflow|common)/",
          "^workflows/src/[^/]+/workflow\\.ts$",
          "^contracts/src/(registration|email-verification|password-reset|account-removal)\\.ts$",
          "^common/src/temporal/request-id-header\\.ts$",
          "^workflows/src/mail/activity-options\\.ts$",
          "^workflows/src/local-activity-retries\\.ts$",
        ],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "contracts-import-nothing",
      comment: "A workflow contract is types and constants that both sides share; it runs nothing.",
      severity: "error",
      from: { path: "^contracts/src/(registration|email-verification|password-reset|account-removal|task-queue)\\.ts$" },
      to: { dependencyTypesNot: ["type-only"] },
    },
    {
      name: "contracts-know-no-process",
      comment: "The contracts are what the processes share: they import no service's and no worker's code.",
      severity: "error",
      from: { path: "^contracts/" },
      to: { path: "^(services|workflows)/" },
    },
    {
      name: "no-service-internals",
      comment: "A service never imports another service's code; they talk over RPC.",
      severity: "error",
      from: { path: "^services/([^/]+)/" },
      to: { path: "^services/", pathNot: ["^services/$1/"] },
    },
    {
      name: "services-know-no-worker",
      comment:
        "A service starts and signals workflows through @flowshield/contracts and common's Temporal client, never the worker's code.",
      severity: "error",
      from: { path: "^services/" },
      to: { path: "^workflows/" },
    },
    {
      name: "services-not-from-workflows",
      comment: "The worker calls the services over RPC, never their code.",
      severity: "error",
      from: { path: "^workflows/" },
      to: { path: "^services/" },
    },
    {
      name: "entry-points-only",
      comment: "Tests, the benchmark and scripts use a package's declared entry points, not its internals.",
      severity: "error",
      from: { path: "^(test|bench|scripts)/" },
      to: {
        path: "^(services|workflows)/",
        pathNot: [
          "^services/[^/]+/src/(server|config)\\.ts$",
          "^services/[^/]+/src/adapters/db/index\\.ts$",
          "^services/auth/src/kernel/adapters/db/index\\.ts$",
          "^services/auth/src/risk/offline\\.ts$",
          "^workflows/src/(activities|worker|worker-config|workflow-bundle|sdk-logger)\\.ts$",
        ],
      },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|\\.tools)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
