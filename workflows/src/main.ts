import { envString } from "@flowshield/common/config";
import { createInternalClient } from "@flowshield/common/internal-client";
import { createLogger } from "@flowshield/common/logger";
import { runUntilSignalled } from "@flowshield/common/main-runner";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { Runtime } from "@temporalio/worker";
import { createActivities } from "./activities";
import { temporalLoggerFor } from "./sdk-logger";
import { startRegistrationWorker } from "./worker";
import { workerSettingsFromEnv } from "./worker-config";

// The worker process: runs the registration saga's workflows and activities.
const log = createLogger("worker");
// Before any connection: the SDK's own lines go through pino too.
Runtime.install({ logger: temporalLoggerFor(log) });

void runUntilSignalled(log, async () => {
  const credential = envString("SERVICE_CREDENTIAL");
  const settings = workerSettingsFromEnv();
  const worker = await startRegistrationWorker({
    ...settings,
    activities: createActivities({
      userAdmin: createInternalClient(UserAdminService, envString("AUTH_INTERNAL_URL", "http://localhost:9081"), credential),
      profileAdmin: createInternalClient(ProfileAdminService, envString("PROFILE_INTERNAL_URL", "http://localhost:9082"), credential),
    }),
  });
  log.info({ taskQueue: settings.taskQueue }, "worker running");
  return { close: () => worker.stop() };
});
