import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import { createInternalClient } from "@flowshield/common/internal-client";
import { createLogger, type Logger } from "@flowshield/common/logger";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import type { AuthConfig } from "@flowshield/auth/config";
import { startProfileService, type RunningProfileService } from "@flowshield/profile/server";
import type { RegistrationActivities } from "@flowshield/workflows/registration";
import { createRegistrationActivities } from "@flowshield/workflows/registration/activities";
import { startWorker as startTemporalWorker, type RunningWorker } from "@flowshield/workflows/worker";
import { bundleWorkflows } from "@flowshield/workflows/workflow-bundle";
import { OPERATOR_CREDENTIAL, SERVICE_CREDENTIAL, testEnv, uniqueSuffix } from "./env";

export const quietLog = createLogger("test", process.env.TEST_LOG_LEVEL ?? "silent");

// The worker's own logs (state changes, retried activities) only when asked for.
Runtime.install({ logger: new DefaultLogger(process.env.TEST_LOG_LEVEL === undefined ? "ERROR" : "INFO") });

export function testAuthConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    host: "127.0.0.1",
    publicPort: 0,
    internalPort: 0,
    databaseUrl: testEnv.authDatabaseUrl(),
    serviceCredential: SERVICE_CREDENTIAL,
    bcryptCost: 4,
    issuer: "flowshield-test",
    audience: "flowshield-test",
    temporalAddress: testEnv.temporalAddress(),
    temporalNamespace: "default",
    taskQueue: `test-${uniqueSuffix()}`,
    registerTimeoutMs: 30_000,
    healthCheckIntervalMs: 500,
    payloadKeys: testEnv.payloadKeys(),
    operatorCredential: OPERATOR_CREDENTIAL,
    codecCorsOrigins: ["http://localhost:8233"],
    ...overrides,
  };
}

// A profile service trusting the given auth service's tokens; on the test database and quiet
// unless told otherwise.
export async function startTestProfile(
  authPublicUrl: string,
  options: { databaseUrl?: string; log?: Logger } = {},
): Promise<RunningProfileService> {
  return startProfileService(
    {
      host: "127.0.0.1",
      publicPort: 0,
      internalPort: 0,
      databaseUrl: options.databaseUrl ?? testEnv.profileDatabaseUrl(),
      serviceCredential: SERVICE_CREDENTIAL,
      jwksUrl: `${authPublicUrl}/.well-known/jwks.json`,
      issuer: "flowshield-test",
      audience: "flowshield-test",
      healthCheckIntervalMs: 500,
    },
    options.log ?? quietLog,
  );
}

// The saga's real activities, calling the given services' internal listeners.
export function sagaActivities(services: { auth: { internalUrl: string }; profile: { internalUrl: string } }): RegistrationActivities {
  return createRegistrationActivities({
    userAdmin: createInternalClient(UserAdminService, services.auth.internalUrl, SERVICE_CREDENTIAL),
    profileAdmin: createInternalClient(ProfileAdminService, services.profile.internalUrl, SERVICE_CREDENTIAL),
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
// Bundling the workflows takes seconds; one bundle serves every worker of a test file.
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflows();
  return bundle;
}

export async function startWorker(taskQueue: string, activities: RegistrationActivities): Promise<RunningWorker> {
  return startTemporalWorker(
    {
      temporalAddress: testEnv.temporalAddress(),
      namespace: "default",
      taskQueue,
      payloadKeys: testEnv.payloadKeys(),
      workflowBundle: await workflowBundle(),
    },
    activities,
  );
}

export interface FullStack {
  auth: RunningAuthService;
  profile: RunningProfileService;
  worker: RunningWorker;
  taskQueue: string;
  // Public clients over gRPC (HTTP/2) and Connect JSON.
  authGrpc: Client<typeof AuthService>;
  authJson: Client<typeof AuthService>;
  profileGrpc: Client<typeof ProfileService>;
  profileJson: Client<typeof ProfileService>;
  userAdmin: Client<typeof UserAdminService>;
  profileAdmin: Client<typeof ProfileAdminService>;
  stop(): Promise<void>;
}

// Both services on their real databases, a worker on a task queue of its own, all over real
// HTTP/2 on loopback.
export async function startFullStack(authOverrides: Partial<AuthConfig> = {}): Promise<FullStack> {
  const authConfig = testAuthConfig(authOverrides);
  const auth = await startAuthService(authConfig, quietLog);
  const profile = await startTestProfile(auth.publicUrl);
  const userAdmin = createInternalClient(UserAdminService, auth.internalUrl, SERVICE_CREDENTIAL);
  const profileAdmin = createInternalClient(ProfileAdminService, profile.internalUrl, SERVICE_CREDENTIAL);
  const worker = await startWorker(authConfig.taskQueue, sagaActivities({ auth, profile }));
  return {
    auth,
    profile,
    worker,
    taskQueue: authConfig.taskQueue,
    authGrpc: createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl })),
    authJson: createClient(AuthService, createConnectTransport({ baseUrl: auth.publicUrl, httpVersion: "1.1" })),
    profileGrpc: createClient(ProfileService, createGrpcTransport({ baseUrl: profile.publicUrl })),
    profileJson: createClient(ProfileService, createConnectTransport({ baseUrl: profile.publicUrl, httpVersion: "1.1" })),
    userAdmin,
    profileAdmin,
    async stop() {
      await worker.stop();
      await profile.close();
      await auth.close();
    },
  };
}

// Starts a full stack before the file's tests and stops it after them; call at the top of a file.
export function useFullStack(authOverrides: Partial<AuthConfig> = {}): () => FullStack {
  let stack: FullStack | undefined;
  beforeAll(async () => {
    stack = await startFullStack(authOverrides);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (stack === undefined) throw new Error("the stack is not started yet: use it inside a test or hook");
    return stack;
  };
}
