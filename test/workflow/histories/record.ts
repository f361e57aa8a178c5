// Records one history of each workflow kind and each way it ends, from the workflow code as it is,
// into this folder: the fixtures test/workflow/replay.test.ts replays against the code of every
// later commit, so that a change that would break a workflow already in flight (a verification
// waits a day, a reset fifteen minutes: every deploy meets them) fails the build. Run it again
// only for a deliberate change that keeps the old histories replaying (`patched()`, README "Changing
// a workflow"), and keep the old fixtures beside the new ones; name scenarios to record only those
// (a new workflow's):
//   TEMPORAL_TEST_SERVER=… node --import tsx test/workflow/histories/record.ts [scenario …]
// Temporal's time-skipping test server runs the workflows with stand-in activities: a history
// holds an activity's result, never its work. Payloads are plain JSON (no keys are needed to
// replay); each history is stored as the API's binary protobuf (`temporal.api.history.v1.History`;
// `temporal workflow show`'s JSON cannot be read back by the SDK's protobufjs here).
import { writeFile } from "node:fs/promises";
import * as path from "node:path";
import { ApplicationFailure } from "@temporalio/common";
import { temporal } from "@temporalio/proto";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { Worker } from "@temporalio/worker";
import { ERROR_CATALOGUE } from "@flowshield/common/contract/error-catalogue";
import { EMAIL_VERIFICATION_WORKFLOW, EMAIL_VERIFIED_SIGNAL, RESEND_VERIFICATION_SIGNAL } from "@flowshield/contracts/email-verification";
import {
  PASSWORD_CHANGED_NOTICE_WORKFLOW,
  PASSWORD_RESET_SIGNAL,
  PASSWORD_RESET_WORKFLOW,
  RESET_REQUESTED_SIGNAL,
} from "@flowshield/contracts/password-reset";
import { REGISTRATION_WORKFLOW, RISK_LEVEL_SEARCH_ATTRIBUTE } from "@flowshield/contracts/registration";
import { SECURITY_NOTICE_WORKFLOW } from "@flowshield/contracts/security-notice";
import { bundleWorkflows } from "@flowshield/workflows/workflow-bundle";

const DAY_MS = 24 * 3_600_000;
const USER = "5f0c6a52-4a55-4e0e-9d8e-1b2f3c4d5e6f";
const REGISTRATION = {
  userId: USER,
  email: "ada@example.com",
  username: "ada",
  displayName: "Ada",
  client: { ip: "203.0.113.7", userAgent: "recorder", deviceId: "" },
};

const failedForGood = (reason: string) =>
  ApplicationFailure.create({
    message: reason.toLowerCase().replace(/_/g, " "),
    type: ERROR_CATALOGUE.alreadyExists.failureType,
    nonRetryable: true,
    details: [reason, "username"],
  });

// The stand-in activities: what each scenario's steps answer.
function activities(
  behaviour: {
    profile?: "taken" | "down twice";
    activate?: "fails";
    expired?: boolean;
    risk?: "allow" | "verify_first" | "hold" | "refuse";
  } = {},
) {
  let profileAttempts = 0;
  return {
    assessRegistrationRisk: async () => ({
      decision: behaviour.risk ?? "allow",
      score: behaviour.risk === undefined || behaviour.risk === "allow" ? 0 : 0.65,
      reasons: behaviour.risk === undefined || behaviour.risk === "allow" ? [] : ["HOSTING_NETWORK", "DISPOSABLE_EMAIL"],
      policyVersion: "2026-12-07.1",
    }),
    createUser: async () => ({ userId: USER }),
    createProfile: async () => {
      if (behaviour.profile === "taken") throw failedForGood("USERNAME_TAKEN");
      if (behaviour.profile === "down twice" && ++profileAttempts <= 2) {
        throw ApplicationFailure.retryable("UNAVAILABLE: profile service down", ERROR_CATALOGUE.unavailable.failureType);
      }
      return { profileId: "0b5d3c1e-7a7f-4c55-8f3e-2a1b0c9d8e7f" };
    },
    activateUser: async () => {
      if (behaviour.activate === "fails") throw failedForGood("USER_GONE");
    },
    deleteUser: async () => undefined,
    deleteProfile: async () => undefined,
    sendVerificationCode: async () => ({ sent: true }),
    expireUnverifiedUser: async () => ({ expired: behaviour.expired ?? true }),
    sendPasswordResetCode: async () => undefined,
    sendPasswordChangedNotice: async () => undefined,
    sendSecurityNotice: async () => undefined,
    sendSignInNotice: async () => undefined,
  };
}

async function main(): Promise<void> {
  const executable = process.env.TEMPORAL_TEST_SERVER;
  if (executable === undefined) throw new Error("TEMPORAL_TEST_SERVER is not set (`make test-server` builds it)");
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: "existing-path", path: executable } } });
  // The registration saga sets it (the worker registers it where it runs; here, the recorder does).
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? "default",
    searchAttributes: { [RISK_LEVEL_SEARCH_ATTRIBUTE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
  });
  const bundle = await bundleWorkflows();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
  // A scenario that runs one workflow to its end, failed or not (a compensated saga fails).
  const runs = (type: string, input: unknown) => (taskQueue: string, workflowId: string) =>
    env.client.workflow.execute(type, { taskQueue, workflowId, args: [input] }).catch(() => "failed");
  try {
    type Scenario = [string, ReturnType<typeof activities>, (taskQueue: string, workflowId: string) => Promise<unknown>];
    const verificationScenarios = (name: string): Scenario[] => [
      [`${name}-expired`, activities(), runs(EMAIL_VERIFICATION_WORKFLOW, { userId: USER, ttlMs: DAY_MS })],
      [`${name}-raced-the-deadline`, activities({ expired: false }), runs(EMAIL_VERIFICATION_WORKFLOW, { userId: USER, ttlMs: DAY_MS })],
      [
        `${name}-resent-then-verified`,
        activities(),
        async (taskQueue, workflowId) => {
          const handle = await env.client.workflow.start(EMAIL_VERIFICATION_WORKFLOW, {
            taskQueue,
            workflowId,
            args: [{ userId: USER, ttlMs: DAY_MS }],
          });
          await settle();
          await handle.signal(RESEND_VERIFICATION_SIGNAL);
          await settle();
          await handle.signal(EMAIL_VERIFIED_SIGNAL);
          return handle.result();
        },
      ],
    ];
    const scenarios: Scenario[] = [
      ["registration-succeeded", activities(), runs(REGISTRATION_WORKFLOW, REGISTRATION)],
      ["registration-compensated-at-profile", activities({ profile: "taken" }), runs(REGISTRATION_WORKFLOW, REGISTRATION)],
      ["registration-compensated-at-activation", activities({ activate: "fails" }), runs(REGISTRATION_WORKFLOW, REGISTRATION)],
      // With the risk step (2026-12-07): assessed first; held, refused.
      ["registration-risk-allowed", activities(), runs(REGISTRATION_WORKFLOW, REGISTRATION)],
      ["registration-risk-held", activities({ risk: "hold" }), runs(REGISTRATION_WORKFLOW, REGISTRATION)],
      ["registration-risk-refused", activities({ risk: "refuse" }), runs(REGISTRATION_WORKFLOW, REGISTRATION)],
      // A step down twice: before 2026-12-07 (third session) its retries ran within the worker,
      // since after a server timer each.
      ["registration-profile-retried-in-worker", activities({ profile: "down twice" }), runs(REGISTRATION_WORKFLOW, REGISTRATION)],
      ["registration-profile-retried-after-timer", activities({ profile: "down twice" }), runs(REGISTRATION_WORKFLOW, REGISTRATION)],
      // Before 2026-12-07 the mails went as activities, since as local activities (`patched`).
      ...verificationScenarios("email-verification"),
      ...verificationScenarios("email-verification-local-mail"),
      ["password-reset-expired", activities(), runs(PASSWORD_RESET_WORKFLOW, { userId: USER })],
      [
        "password-reset-requested-again-then-reset",
        activities(),
        async (taskQueue, workflowId) => {
          const handle = await env.client.workflow.signalWithStart(PASSWORD_RESET_WORKFLOW, {
            taskQueue,
            workflowId,
            args: [{ userId: USER }],
            signal: RESET_REQUESTED_SIGNAL,
            signalArgs: [],
          });
          await settle();
          await env.sleep("10 minutes");
          await handle.signal(RESET_REQUESTED_SIGNAL);
          await settle();
          await handle.signal(PASSWORD_RESET_SIGNAL);
          return handle.result();
        },
      ],
      ["password-changed-notice", activities(), runs(PASSWORD_CHANGED_NOTICE_WORKFLOW, { userId: USER })],
      ["security-notice", activities(), runs(SECURITY_NOTICE_WORKFLOW, { userId: USER, notice: "mfa_enrolled" })],
      [
        "security-notice-new-sign-in",
        activities(),
        runs(SECURITY_NOTICE_WORKFLOW, {
          userId: USER,
          notice: "new_sign_in",
          signIn: { time: "2026-12-07T08:00:00.000Z", place: "Melbourne, AU", device: "Chrome 131 Windows" },
        }),
      ],
    ];
    const only = process.argv.slice(2);
    for (const [name, stand_ins, run] of scenarios.filter(([name]) => only.length === 0 || only.includes(name))) {
      const taskQueue = `record-${name}`;
      const workflowId = `${name}-${Date.now()}`;
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: stand_ins });
      const outcome = await worker.runUntil(run(taskQueue, workflowId));
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      await writeFile(path.join(__dirname, `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
      console.log(`${name}: ${JSON.stringify(outcome)}, ${history.events?.length ?? 0} events`);
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
