// First: tracing hooks the modules loaded after it.
import { tracing } from "./tracing";
import { Runtime } from "@temporalio/worker";
import { HealthStatus } from "@flowshield/common/runtime/health";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { tlsFilesIn } from "@flowshield/common/runtime/tls-files";
import { startListener } from "@flowshield/common/runtime/listener";
import { createLogger } from "@flowshield/common/observability/logger";
import { createMetricsRegistry, startMetricsListener } from "@flowshield/common/observability/metrics";
import { runUntilSignalled } from "@flowshield/common/runtime/main-runner";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { createActivities } from "./activities";
import { createMailer, mailSettingsFromEnv } from "@flowshield/common/mail/mailer";
import { temporalLoggerFor } from "./sdk-logger";
import { startWorker } from "./worker";
import { sdkMetricsReader, sdkTelemetry } from "./sdk-metrics";
import { workerMetricsFromEnv, workerProcessFromEnv, workerSettingsFromEnv } from "./worker-config";

// The worker process: hosts every workflow and the activities they call.
const log = createLogger("worker");

void runUntilSignalled(
  log,
  async () => {
    const metrics = workerMetricsFromEnv();
    // Before any connection: the SDK's own lines go through pino too, and its metrics to a port.
    Runtime.install({ logger: temporalLoggerFor(log), telemetryOptions: sdkTelemetry(metrics.sdkPort) });
    const connections = workerProcessFromEnv();
    const settings = workerSettingsFromEnv();
    const mailer = createMailer(mailSettingsFromEnv());
    const internalTls = tlsFilesIn(connections.internalTlsDir);
    const activities = createActivities({
      userAdmin: createInternalClient(UserAdminService, connections.authInternalUrl, connections.serviceCredential, internalTls),
      profileAdmin: createInternalClient(ProfileAdminService, connections.profileInternalUrl, connections.serviceCredential, internalTls),
      mailer,
    });
    const worker = await startWorker({ ...settings, ...(tracing !== undefined ? { tracing } : {}) }, activities);
    // grpc.health.v1 for the container's health check and Kubernetes' probes: SERVING from the
    // moment the worker polls its task queue, NOT_SERVING once it drains.
    const health = new HealthStatus([]);
    const healthListener = await startListener({
      name: "worker-health",
      host: connections.healthHost,
      port: connections.healthPort,
      log,
      services: [],
      routes: () => undefined,
      health,
    });
    const metricsListener = await startMetricsListener({
      host: metrics.host,
      port: metrics.port,
      registry: createMetricsRegistry(),
      log,
      more: sdkMetricsReader(metrics.sdkPort),
    });
    log.info({ taskQueue: settings.taskQueue, health: healthListener.url, metrics: metricsListener.url }, "worker running");
    return {
      close: async () => {
        health.drain();
        await worker.stop();
        await healthListener.close();
        await metricsListener.close();
        mailer.close();
      },
    };
  },
  tracing?.shutdown,
);
