import { LOCAL_TEMPORAL } from "@flowshield/common/runtime/topology";
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from "@temporalio/worker";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { createLogger, type Logger } from "@flowshield/common/observability/logger";
import type { TlsFiles } from "@flowshield/common/runtime/tls-files";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import type { AuthConfig } from "@flowshield/auth/config";
import { startProfileService, type RunningProfileService } from "@flowshield/profile/server";
import { createActivities } from "@flowshield/workflows/activities";
import { createMailer } from "@flowshield/common/mail/mailer";
import { startWorker as startTemporalWorker, type RunningWorker } from "@flowshield/workflows/worker";
import { bundleWorkflows } from "@flowshield/workflows/workflow-bundle";
import { OPERATOR_CREDENTIAL, SERVICE_CREDENTIAL, testEnv, uniqueSuffix } from "./env";
import { startMailServer, type MailServer } from "./mail-server";

export const quietLog = createLogger("test", process.env.TEST_LOG_LEVEL ?? "silent");

// The worker's own logs (state changes, retried activities) only when asked for.
Runtime.install({ logger: new DefaultLogger(process.env.TEST_LOG_LEVEL === undefined ? "ERROR" : "INFO") });

export function testAuthConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    host: "127.0.0.1",
    publicPort: 0,
    internalPort: 0,
    codecPort: 0,
    metricsPort: 0,
    databaseUrl: testEnv.authDatabaseUrl(),
    serviceCredential: SERVICE_CREDENTIAL,
    bcryptCost: 4,
    bcryptQueueLimit: 64,
    issuer: "flowshield-test",
    audience: "flowshield-test",
    temporalAddress: testEnv.temporalAddress(),
    temporalNamespace: "default",
    taskQueue: `test-${uniqueSuffix()}`,
    registerTimeoutMs: 30_000,
    migrateOnStart: true,
    // The OpenID provider's issuer: the OIDC tests, which call it, start auth on a known port and
    // set both; elsewhere it is never called.
    publicUrl: "http://127.0.0.1",
    oidcResourceServers: ["https://api.flowshield.test"],
    // Nothing listens here unless a test starts a profile service and says so.
    profileUrl: "http://127.0.0.1:9",
    healthCheckIntervalMs: 500,
    payloadKeys: testEnv.payloadKeys(),
    operatorCredential: OPERATOR_CREDENTIAL,
    codecCorsOrigins: [LOCAL_TEMPORAL.uiUrl],
    emailVerifyTtlMs: 24 * 3_600_000,
    // Codes are mailed by auth: tests that read them (or run a worker) give it the test mail
    // server (startFullStack does). Nothing listens on this port: a code mailed there fails.
    mail: testMailSettings("smtp://127.0.0.1:9"),
    // Most tests are about something else than verification and sign in right after registering;
    // the lifecycle tests turn it on.
    requireVerifiedEmail: false,
    refreshTtlMs: 30 * 86_400_000,
    refreshIdleTtlMs: 7 * 86_400_000,
    refreshReuseGraceMs: 10_000,
    trustedProxies: "",
    // Every test calls from 127.0.0.1 into one database: the per-address limits would add up
    // across test files. test/lifecycle/abuse.test.ts checks them from addresses of its own.
    loginFailuresPerIp: 1_000_000,
    registrationsPerIp: 1_000_000,
    passkeyLoginsPerIp: 1_000_000,
    rateLimits: true,
    // The risk engine learns each account's devices and mails notices of new ones: tests of
    // other things, which sign in from several clients, would get mail they do not expect. The
    // risk suites (test/risk) turn it on.
    riskEngine: false,
    ...overrides,
  };
}

// A profile service trusting the given auth service's tokens; on the test database and quiet
// unless told otherwise.
export async function startTestProfile(
  authPublicUrl: string,
  options: {
    databaseUrl?: string;
    log?: Logger;
    publicPort?: number;
    serviceCredential?: string;
    previousServiceCredential?: string;
    internalTlsDir?: string;
  } = {},
): Promise<RunningProfileService> {
  return startProfileService(
    {
      host: "127.0.0.1",
      publicPort: options.publicPort ?? 0,
      internalPort: 0,
      metricsPort: 0,
      databaseUrl: options.databaseUrl ?? testEnv.profileDatabaseUrl(),
      migrateOnStart: true,
      serviceCredential: options.serviceCredential ?? SERVICE_CREDENTIAL,
      previousServiceCredential: options.previousServiceCredential,
      internalTlsDir: options.internalTlsDir,
      jwksUrl: `${authPublicUrl}/.well-known/jwks.json`,
      issuer: "flowshield-test",
      audience: "flowshield-test",
      healthCheckIntervalMs: 500,
    },
    options.log ?? quietLog,
  );
}

// Where the workers of tests that read no mail send it: one SMTP server for the whole test file.
let sharedMail: Promise<MailServer> | undefined;
export function testMailServer(): Promise<MailServer> {
  sharedMail ??= startMailServer();
  return sharedMail;
}
export function testMailSettings(smtpUrl: string) {
  return { smtpUrl, from: "FlowShield test <test@flowshield.localhost>" };
}
// The workers' pooled SMTP connections, closed with the file's mail server.
const mailers: Array<{ close(): void }> = [];
afterAll(async () => {
  for (const mailer of mailers.splice(0)) mailer.close();
  if (sharedMail !== undefined) await (await sharedMail).close();
  sharedMail = undefined;
});

// Every workflow's real activities, calling the given services' internal listeners (with the
// given service credential, the tests' own by default; over mutual TLS with the given files) and
// mailing through the given SMTP server.
export function workerActivities(
  services: { auth: { internalUrl: string }; profile: { internalUrl: string } },
  smtpUrl: string,
  credential = SERVICE_CREDENTIAL,
  tls?: TlsFiles,
) {
  const mailer = createMailer(testMailSettings(smtpUrl));
  mailers.push(mailer);
  return createActivities({
    userAdmin: createInternalClient(UserAdminService, services.auth.internalUrl, credential, tls),
    profileAdmin: createInternalClient(ProfileAdminService, services.profile.internalUrl, credential, tls),
    mailer,
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
// Bundling the workflows takes seconds; one bundle serves every worker of a test file.
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflows();
  return bundle;
}

export async function startWorker(taskQueue: string, activities: object): Promise<RunningWorker> {
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
  // The SMTP server auth (codes) and the worker (notices) mail through.
  mail: MailServer;
  stop(): Promise<void>;
}

// Both services on their real databases, a worker on a task queue of its own, all over real
// HTTP/2 on loopback.
export async function startFullStack(authOverrides: Partial<AuthConfig> = {}): Promise<FullStack> {
  const mail = await testMailServer();
  const authConfig = testAuthConfig({ mail: testMailSettings(mail.url), ...authOverrides });
  const auth = await startAuthService(authConfig, quietLog);
  const profile = await startTestProfile(auth.publicUrl);
  const userAdmin = createInternalClient(UserAdminService, auth.internalUrl, OPERATOR_CREDENTIAL);
  const profileAdmin = createInternalClient(ProfileAdminService, profile.internalUrl, SERVICE_CREDENTIAL);
  const worker = await startWorker(authConfig.taskQueue, workerActivities({ auth, profile }, mail.url));
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
    mail,
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
