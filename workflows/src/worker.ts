import { NativeConnection, Worker, type WorkerOptions } from "@temporalio/worker";
import { encryptedDataConverter, type PayloadKey } from "@flowshield/common/payload-codec";
import type { RegistrationActivities } from "./activities";
import { requestIdActivityInterceptor } from "./request-context/activity-interceptor";

export interface RegistrationWorkerOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  // The keys payloads are encrypted with: the workflows' inputs and results hold personal data.
  payloadKeys: PayloadKey[];
  activities: RegistrationActivities;
  // A prebuilt bundle (tests build one per file); by default the workflows are bundled at start.
  workflowBundle?: WorkerOptions["workflowBundle"];
  // How long a stopping worker lets its running activities finish before cancelling them.
  shutdownGraceMs?: number;
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

// The workflow interceptors every bundle of our workflows includes (see workflow-bundle.ts).
export function workflowInterceptorModules(): string[] {
  return [require.resolve("./request-context/workflow-interceptors")];
}

// Connects to Temporal and runs the registration task queue's workflows and activities.
export async function startRegistrationWorker(options: RegistrationWorkerOptions): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter: encryptedDataConverter(options.payloadKeys),
    shutdownGraceTime: options.shutdownGraceMs ?? 0,
    // A prebuilt bundle holds the workflow interceptors already; otherwise the worker bundles them.
    ...(options.workflowBundle !== undefined
      ? { workflowBundle: options.workflowBundle, interceptors: { activity: [requestIdActivityInterceptor] } }
      : { workflowsPath: workflowsPath(), interceptors: { activity: [requestIdActivityInterceptor], workflowModules: workflowInterceptorModules() } }),
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
