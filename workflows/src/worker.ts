import { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor } from "@temporalio/interceptors-opentelemetry";
import { NativeConnection, Worker, type ActivityInterceptorsFactory, type WorkerOptions } from "@temporalio/worker";
import type { Tracing } from "@flowshield/common/tracing";
import { encryptedDataConverter, type PayloadKey } from "@flowshield/common/payload-codec";
import { requestIdActivityInterceptor } from "./request-context/activity-interceptor";

export interface WorkerSettings {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  // The keys payloads are encrypted with: the workflows' inputs and results hold personal data.
  payloadKeys: PayloadKey[];
  // A prebuilt bundle (`make build`, the tests); by default the workflows are bundled at start.
  workflowBundle?: WorkerOptions["workflowBundle"];
  // How long a stopping worker lets its running activities finish before cancelling them.
  shutdownGraceMs?: number;
  // How many workflows the worker keeps in memory between their tasks (the sticky cache).
  maxCachedWorkflows?: number;
  // Where the workflows' spans go when tracing is on (common/tracing.ts).
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

// The workflow interceptors every bundle of our workflows includes (see workflow-bundle.ts): the
// request id, and OpenTelemetry's (a span for the workflow and for each activity it schedules,
// handed out through the `exporter` sink, which is a no-op while tracing is off).
export function workflowInterceptorModules(): string[] {
  return [
    require.resolve("./request-context/workflow-interceptors"),
    require.resolve("@temporalio/interceptors-opentelemetry/lib/workflow-interceptors"),
  ];
}

// An activity runs in the trace of the workflow that scheduled it, and in its request context.
const activityInterceptors: ActivityInterceptorsFactory[] = [
  (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) }),
  requestIdActivityInterceptor,
];

function workflowSpanSink(tracing: Tracing | undefined): WorkerOptions["sinks"] {
  if (tracing !== undefined) return { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) };
  return { exporter: { export: { fn: () => undefined } } };
}

// Connects to Temporal and hosts every workflow of the bundle (workflows.ts lists them) with the
// activities given: each workflow's activities, merged by the process that runs the worker.
export async function startWorker(settings: WorkerSettings, activities: object): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: settings.temporalAddress });
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
      ? { workflowBundle: settings.workflowBundle, interceptors: { activity: activityInterceptors } }
      : {
          workflowsPath: workflowsPath(),
          interceptors: { activity: activityInterceptors, workflowModules: workflowInterceptorModules() },
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
