// The baseline for the saga's throughput: the very same workflows, on the same Temporal server, in
// a worker process of its own, with activities that do nothing but answer — except that
// activateUser starts the account's email verification workflow, as the auth service's
// ActivateUser does, so the baseline carries the same Temporal work per registration. What the
// real saga costs beyond this is ours (RPCs, inserts, mail, the auth service's hop).
import { envString } from "@flowshield/common/runtime/config";
import { createLogger } from "@flowshield/common/observability/logger";
import { runUntilSignalled } from "@flowshield/common/runtime/main-runner";
import {
  EMAIL_VERIFICATION_WORKFLOW,
  emailVerificationWorkflowId,
  type EmailVerificationActivities,
} from "@flowshield/contracts/email-verification";
import type { RegistrationActivities } from "@flowshield/contracts/registration";
import { createTemporalClient } from "@flowshield/common/temporal/client";
import { startWorker } from "@flowshield/workflows/worker";
import { workerSettingsFromEnv } from "@flowshield/workflows/worker-config";

const log = createLogger("noop-worker");

void runUntilSignalled(log, async () => {
  // The real worker's settings (and prebuilt bundle), but its own task queue, never the default
  // one: a no-op worker there would answer real registrations.
  const settings = { ...workerSettingsFromEnv(), taskQueue: envString("TEMPORAL_TASK_QUEUE") };
  const temporal = createTemporalClient({
    address: settings.temporalAddress,
    namespace: settings.namespace,
    payloadKeys: settings.payloadKeys,
  });
  const noopActivities: RegistrationActivities & EmailVerificationActivities = {
    assessRegistrationRisk: async () => ({ decision: "allow", score: 0, reasons: [], policyVersion: "noop" }),
    createUser: async (input) => ({ userId: input.id }),
    createProfile: async (input) => ({ profileId: input.userId }),
    activateUser: async (userId) => {
      await temporal.client.workflow.start(EMAIL_VERIFICATION_WORKFLOW, {
        taskQueue: settings.taskQueue,
        workflowId: emailVerificationWorkflowId(userId),
        args: [{ userId, ttlMs: 24 * 3_600_000 }],
      });
    },
    deleteUser: async () => undefined,
    sendVerificationCode: async () => ({ sent: true }),
    expireUnverifiedUser: async () => ({ expired: false }),
    deleteProfile: async () => undefined,
  };
  const worker = await startWorker(settings, noopActivities);
  return {
    close: async () => {
      await worker.stop();
      await temporal.close();
    },
  };
});
