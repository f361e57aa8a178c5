// The baseline for the saga's throughput: the very same registration workflow, on the same
// Temporal server, in a worker process of its own, with activities that do nothing but answer.
// What the real saga costs beyond this is ours (RPCs, inserts, the auth service's hop).
import { envString } from "@flowshield/common/config";
import { createLogger } from "@flowshield/common/logger";
import { runUntilSignalled } from "@flowshield/common/main-runner";
import type { EmailVerificationActivities } from "@flowshield/workflows/email-verification";
import type { RegistrationActivities } from "@flowshield/workflows/registration";
import { startWorker } from "@flowshield/workflows/worker";
import { workerSettingsFromEnv } from "@flowshield/workflows/worker-config";

const log = createLogger("noop-worker");

// The email verification child the saga starts is the same too: it "mails" its code and waits.
const noopActivities: RegistrationActivities & EmailVerificationActivities = {
  createUser: async (input) => ({ userId: input.id }),
  createProfile: async (input) => ({ profileId: input.userId }),
  activateUser: async () => undefined,
  deleteUser: async () => undefined,
  sendVerificationCode: async () => ({ sent: true }),
  expireUnverifiedUser: async () => ({ expired: false }),
  deleteProfile: async () => undefined,
};

void runUntilSignalled(log, () =>
  // The real worker's settings (and prebuilt bundle), but its own task queue, never the default
  // one: a no-op worker there would answer real registrations.
  startWorker({ ...workerSettingsFromEnv(), taskQueue: envString("TEMPORAL_TASK_QUEUE") }, noopActivities).then((worker) => ({
    close: () => worker.stop(),
  })),
);
