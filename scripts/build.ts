// `make build`: what production runs — one JavaScript file per process under dist/, plus the
// registration workflows bundled ahead of time. `make dev` and the tests run the TypeScript
// through tsx instead; the bundles hold about a third less memory (no compiler, no source maps)
// and the worker skips bundling its workflows with webpack at start (`make bench` measured both).
import { mkdir, rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { build } from "esbuild";
import { bundleWorkflows } from "@flowshield/workflows/workflow-bundle";
import { tracedBundlePath } from "@flowshield/workflows/worker-config";
import { ROOT } from "./root";

const DIST = path.join(ROOT, "dist");

const ENTRY_POINTS = {
  auth: "services/auth/src/main.ts",
  profile: "services/profile/src/main.ts",
  worker: "workflows/src/main.ts",
  // The image's migration jobs and its HEALTHCHECK (Dockerfile).
  migrate: "services/migrate.ts",
  healthcheck: "services/healthcheck.ts",
};

async function main(): Promise<void> {
  await rm(DIST, { recursive: true, force: true });
  await mkdir(DIST, { recursive: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, entry]) => [name, path.join(ROOT, entry)])),
    outdir: DIST,
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    // For `node --enable-source-maps` (the image): stack traces name the TypeScript lines.
    sourcemap: true,
    // V8 keeps each script's source in the heap (for lazy compilation), and a source holding one
    // character outside Latin-1 twice its size: auth's 6 MB bundle, with a few such characters
    // in the comments of a dependency, was 12 MB of auth's ~56 MB heap at rest. Without comments
    // and whitespace, and every other character escaped, it is one byte a character and a third of
    // the size. Names stay (errors and logs read constructors' names); the dependencies' licence
    // comments go to dist/*.LEGAL.txt.
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    charset: "ascii",
    legalComments: "external",
    logLevel: "warning",
    // Native addons, and the Temporal SDK, which loads its native core and its workflow runtime
    // from files of its own, stay in node_modules; so do OpenTelemetry and the Postgres driver,
    // whose instrumentation patches it as it is required (common/src/observability/tracing.ts).
    external: ["bcrypt", "pg-native", "@temporalio/*", "@opentelemetry/*", "pg", "pg-pool"],
    // The worker's require.resolve("./workflows") is only reached without a prebuilt bundle.
    logOverride: { "require-resolve-not-external": "silent" },
  });
  // The worker loads the traced one when tracing is on (worker-config.ts).
  const [plain, traced] = await Promise.all([bundleWorkflows(), bundleWorkflows({ traced: true })]);
  await writeFile(path.join(DIST, "workflow-bundle.js"), plain.code);
  await writeFile(path.join(DIST, tracedBundlePath("workflow-bundle.js")), traced.code);
  console.log(
    `built ${Object.keys(ENTRY_POINTS)
      .map((name) => `dist/${name}.js`)
      .join(", ")} and dist/workflow-bundle.js (and its traced twin)`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
