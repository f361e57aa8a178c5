// The baseline for the saga's throughput: the very same registration workflow, on the same
// Temporal server, in a worker process of its own, with activities that do nothing but answer.
// What the real saga costs beyond this is ours (RPCs, inserts, the auth service's hop).
import { envOptional, envString } from "@flowshield/common/config";
import { createLogger } from "@flowshield/common/logger";
import { runUntilSignalled } from "@flowshield/common/main-runner";
import type { RegistrationActivities } from "@flowshield/workflows/activities";
import { startRegistrationWorker } from "@flowshield/workflows/worker";

const log = createLogger("noop-worker");
const epoch = new Date(0).toISOString();
// The same prebuilt workflow bundle as the real worker's, when there is one.
const bundlePath = envOptional("WORKFLOW_BUNDLE_PATH");

const noopActivities: RegistrationActivities = {
  createUser: async (input) => ({ id: input.id, email: input.email, status: "active", createTime: epoch, updateTime: epoch }),
  createProfile: async (input) => ({ id: input.userId, userId: input.userId, username: input.username, displayName: input.displayName }),
  deleteUser: async () => undefined,
};

void runUntilSignalled(log, () =>
  startRegistrationWorker({
    temporalAddress: envString("TEMPORAL_ADDRESS"),
    namespace: envString("TEMPORAL_NAMESPACE", "default"),
    taskQueue: envString("TEMPORAL_TASK_QUEUE"),
    activities: noopActivities,
    ...(bundlePath !== undefined ? { workflowBundle: { codePath: bundlePath } } : {}),
  }).then((worker) => ({ close: () => worker.stop() })),
);
