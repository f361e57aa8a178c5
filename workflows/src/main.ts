import { NativeConnection } from "@temporalio/worker";
import { envString } from "@flowshield/common/config";
import { createInternalClient } from "@flowshield/common/internal-client";
import { createLogger } from "@flowshield/common/logger";
import { runUntilSignalled } from "@flowshield/common/main-runner";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { createActivities } from "./activities";
import { DEFAULT_TASK_QUEUE } from "./registration-contract";
import { createRegistrationWorker } from "./worker";

// The worker process: runs the registration saga's workflows and activities.
const log = createLogger("worker");

void runUntilSignalled(log, async () => {
  const credential = envString("SERVICE_CREDENTIAL");
  const connection = await NativeConnection.connect({ address: envString("TEMPORAL_ADDRESS", "localhost:7233") });
  const taskQueue = envString("TEMPORAL_TASK_QUEUE", DEFAULT_TASK_QUEUE);
  const worker = await createRegistrationWorker({
    connection,
    namespace: envString("TEMPORAL_NAMESPACE", "default"),
    taskQueue,
    activities: createActivities({
      userAdmin: createInternalClient(UserAdminService, envString("AUTH_INTERNAL_URL", "http://localhost:9081"), credential),
      profileAdmin: createInternalClient(ProfileAdminService, envString("PROFILE_INTERNAL_URL", "http://localhost:9082"), credential),
    }),
  });
  const running = worker.run();
  log.info({ taskQueue }, "worker running");
  return {
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
});
