import { Runtime } from "@temporalio/worker";
import { envString } from "@flowshield/common/config";
import { createInternalClient } from "@flowshield/common/internal-client";
import { createLogger } from "@flowshield/common/logger";
import { runUntilSignalled } from "@flowshield/common/main-runner";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { createActivities } from "./activities";
import { createMailer } from "./mail/mailer";
import { temporalLoggerFor } from "./sdk-logger";
import { startWorker } from "./worker";
import { mailSettingsFromEnv, workerSettingsFromEnv } from "./worker-config";

// The worker process: hosts every workflow and the activities they call.
const log = createLogger("worker");
// Before any connection: the SDK's own lines go through pino too.
Runtime.install({ logger: temporalLoggerFor(log) });

void runUntilSignalled(log, async () => {
  const credential = envString("SERVICE_CREDENTIAL");
  const settings = workerSettingsFromEnv();
  const mailer = createMailer(mailSettingsFromEnv());
  const activities = createActivities({
    userAdmin: createInternalClient(UserAdminService, envString("AUTH_INTERNAL_URL", "http://localhost:9081"), credential),
    profileAdmin: createInternalClient(ProfileAdminService, envString("PROFILE_INTERNAL_URL", "http://localhost:9082"), credential),
    mailer,
  });
  const worker = await startWorker(settings, activities);
  log.info({ taskQueue: settings.taskQueue }, "worker running");
  return {
    close: async () => {
      await worker.stop();
      mailer.close();
    },
  };
});
