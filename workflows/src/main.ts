import { envOptional, envString } from "@flowshield/common/config";
import { createInternalClient } from "@flowshield/common/internal-client";
import { createLogger } from "@flowshield/common/logger";
import { runUntilSignalled } from "@flowshield/common/main-runner";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { createActivities } from "./activities";
import { DEFAULT_TASK_QUEUE } from "./registration-contract";
import { startRegistrationWorker } from "./worker";

// The worker process: runs the registration saga's workflows and activities.
const log = createLogger("worker");

void runUntilSignalled(log, async () => {
  const credential = envString("SERVICE_CREDENTIAL");
  const taskQueue = envString("TEMPORAL_TASK_QUEUE", DEFAULT_TASK_QUEUE);
  // A production build ships the workflows bundled ahead of time (`make build`); without one,
  // the worker bundles them at start.
  const bundlePath = envOptional("WORKFLOW_BUNDLE_PATH");
  const worker = await startRegistrationWorker({
    temporalAddress: envString("TEMPORAL_ADDRESS", "localhost:7233"),
    namespace: envString("TEMPORAL_NAMESPACE", "default"),
    taskQueue,
    ...(bundlePath !== undefined ? { workflowBundle: { codePath: bundlePath } } : {}),
    activities: createActivities({
      userAdmin: createInternalClient(UserAdminService, envString("AUTH_INTERNAL_URL", "http://localhost:9081"), credential),
      profileAdmin: createInternalClient(ProfileAdminService, envString("PROFILE_INTERNAL_URL", "http://localhost:9082"), credential),
    }),
  });
  log.info({ taskQueue }, "worker running");
  return { close: () => worker.stop() };
});
