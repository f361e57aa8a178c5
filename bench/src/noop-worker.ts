// The baseline for the saga's throughput: the very same registration workflow, on the same
// Temporal server, in a worker process of its own, with activities that do nothing but answer.
// What the real saga costs beyond this is ours (RPCs, inserts, the auth service's hop).
import { envString } from "@flowshield/common/config";
import { createLogger } from "@flowshield/common/logger";
import { runUntilSignalled } from "@flowshield/common/main-runner";
import type { RegistrationActivities } from "@flowshield/workflows/activities";
import { startRegistrationWorker } from "@flowshield/workflows/worker";
import { workerSettingsFromEnv } from "@flowshield/workflows/worker-config";

const log = createLogger("noop-worker");
const epoch = new Date(0).toISOString();

const noopActivities: RegistrationActivities = {
  createUser: async (input) => ({ id: input.id, email: input.email, status: "active", createTime: epoch, updateTime: epoch }),
  createProfile: async (input) => ({ id: input.userId, userId: input.userId, username: input.username, displayName: input.displayName }),
  deleteUser: async () => undefined,
};

void runUntilSignalled(log, () =>
  startRegistrationWorker({
    // The real worker's settings (and prebuilt bundle), but its own task queue, never the default
    // one: a no-op worker there would answer real registrations.
    ...workerSettingsFromEnv(),
    taskQueue: envString("TEMPORAL_TASK_QUEUE"),
    activities: noopActivities,
  }).then((worker) => ({ close: () => worker.stop() })),
);
