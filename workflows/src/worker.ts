import { NativeConnection, Worker, type WorkerOptions } from "@temporalio/worker";
import type { RegistrationActivities } from "./activities";

export interface RegistrationWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: RegistrationActivities;
  // A prebuilt bundle (tests build one per file); by default the workflows are bundled at start.
  workflowBundle?: WorkerOptions["workflowBundle"];
}

export const WORKFLOWS_PATH = require.resolve("./workflows");

export function createRegistrationWorker(options: RegistrationWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.workflowBundle !== undefined ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}
