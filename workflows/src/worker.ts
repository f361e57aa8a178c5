import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor } from "@temporalio/interceptors-opentelemetry/lib/worker";
import { ensureSearchAttributes } from "./search-attributes";
import { NativeConnection, Worker, type ActivityInterceptorsFactory, type WorkerOptions } from "@temporalio/worker";
import type { Tracing } from "@flowshield/common/observability/tracing";
import { encryptedDataConverter, type PayloadKey } from "@flowshield/common/temporal/payload-codec";
import { requestIdActivityInterceptor } from "./request-context/activity-interceptor";
import { temporalTls } from "@flowshield/common/temporal/tls";

export interface WorkerSettings {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  // The keys payloads are encrypted with: the workflows' inputs and results hold personal data.
  payloadKeys: PayloadKey[];
  // Mutual TLS to the frontend (TEMPORAL_TLS_DIR: a directory of ca.crt, tls.crt, tls.key).
  temporalTlsDir?: string | undefined;
  // A prebuilt bundle (`make build`, the tests): with OpenTelemetry's workflow interceptors when
  // tracing is on (workflowInterceptorModules); by default the workflows are bundled at start.
  workflowBundle?: WorkerOptions["workflowBundle"];
  // How long a stopping worker lets its running activities finish before cancelling them.
  shutdownGraceMs?: number;
  // How many workflows the worker keeps in memory between their tasks (the sticky cache).
  maxCachedWorkflows?: number;
  // Where the workflows' spans go when tracing is on (common/src/observability/tracing.ts).
  tracing?: Tracing;
}

export interface RunningWorker {
  // Stops polling, lets running tasks finish, then closes the connection.
  stop(): Promise<void>;
}

// Resolved when asked, not at load: a bundled worker (`make build`) has no workflows file beside
// it and uses the prebuilt workflow bundle instead.
export function workflowsPath(): string {
  return require.resolve("./workflows");
}

// The workflow interceptors a bundle of our workflows includes (see workflow-bundle.ts): the
// request id's, and when traced OpenTelemetry's (a span for the workflow and for each activity it
// schedules, handed out through the `exporter` sink). Only the traced bundle has them: in every
// workflow they cost the worker memory at its peak and the saga time (BENCHMARKS.md, "What was
// changed to get here"), for spans nobody receives while tracing is off.
export function workflowInterceptorModules(traced: boolean): string[] {
  return [
    require.resolve("./request-context/workflow-interceptors"),
    ...(traced ? [require.resolve("@temporalio/interceptors-opentelemetry/lib/workflow-interceptors")] : []),
  ];
}

// An activity runs in its request context and, when traced, in the trace of its workflow.
function activityInterceptors(tracing: Tracing | undefined): ActivityInterceptorsFactory[] {
  if (tracing === undefined) return [requestIdActivityInterceptor];
  return [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) }), requestIdActivityInterceptor];
}

function workflowSpanSink(tracing: Tracing | undefined): WorkerOptions["sinks"] {
  return tracing === undefined ? {} : { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
}

// Connects to Temporal and hosts every workflow of the bundle (workflows.ts lists them) with the
// activities given: each workflow's activities, merged by the process that runs the worker.
export async function startWorker(settings: WorkerSettings, activities: object): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: settings.temporalAddress, ...temporalTls(settings.temporalTlsDir) });
  await ensureSearchAttributes(connection, settings.namespace).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    activities,
    dataConverter: encryptedDataConverter(settings.payloadKeys),
    shutdownGraceTime: settings.shutdownGraceMs ?? 0,
    ...(settings.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: settings.maxCachedWorkflows } : {}),
    sinks: workflowSpanSink(settings.tracing),
    // A prebuilt bundle holds the workflow interceptors already; otherwise the worker bundles them.
    ...(settings.workflowBundle !== undefined
      ? { workflowBundle: settings.workflowBundle, interceptors: { activity: activityInterceptors(settings.tracing) } }
      : {
          workflowsPath: workflowsPath(),
          interceptors: {
            activity: activityInterceptors(settings.tracing),
            workflowModules: workflowInterceptorModules(settings.tracing !== undefined),
          },
        }),
  }).catch(async (err: unknown) => {
    await connection.close();
    throw err;
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}
