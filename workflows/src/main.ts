import { Runtime } from "@temporalio/worker";
import { envInt, envString } from "@flowshield/common/config";
import { HealthStatus } from "@flowshield/common/health";
import { createInternalClient } from "@flowshield/common/internal-client";
import { startListener } from "@flowshield/common/listener";
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
  // grpc.health.v1 for the container's health check and Kubernetes' probes: SERVING from the
  // moment the worker polls its task queue, NOT_SERVING once it drains.
  const health = new HealthStatus([]);
  const healthListener = await startListener({
    name: "worker-health",
    host: envString("WORKER_HOST", "127.0.0.1"),
    port: envInt("WORKER_HEALTH_PORT", 9083),
    log,
    services: [],
    routes: () => undefined,
    health,
  });
  log.info({ taskQueue: settings.taskQueue, health: healthListener.url }, "worker running");
  return {
    close: async () => {
      health.drain();
      await worker.stop();
      await healthListener.close();
      mailer.close();
    },
  };
});
