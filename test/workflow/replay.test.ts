import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { temporal } from "@temporalio/proto";
import { bundleWorkflowCode, Worker } from "@temporalio/worker";
import { workflowBundle } from "../support/stack";

// Every recorded history (test/workflow/histories/, from the workflow code of 2026-12-06, and the
// risk step's, the new-sign-in notice's and the verification's mails as local activities of
// 2026-12-07: each workflow kind and each way it ends) replayed against the workflow code of
// this commit. A change that would break a workflow already in flight — a verification waits a
// day, a reset fifteen minutes, so every deploy meets some — fails here instead of in production.

jest.setTimeout(120_000);

const DIR = path.join(__dirname, "histories");
const recorded = readdirSync(DIR)
  .filter((f) => f.endsWith(".binpb"))
  .sort()
  .map((file) => ({
    workflowId: file.replace(/\.binpb$/, ""),
    history: temporal.api.history.v1.History.decode(readFileSync(path.join(DIR, file))),
  }));

const workflowType = (history: temporal.api.history.v1.IHistory) =>
  history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;

test("the fixtures cover every workflow the worker hosts, each way it ends", () => {
  expect(recorded.map((r) => r.workflowId)).toEqual([
    "email-verification-expired",
    "email-verification-local-mail-expired",
    "email-verification-local-mail-raced-the-deadline",
    "email-verification-local-mail-resent-then-verified",
    "email-verification-raced-the-deadline",
    "email-verification-resent-then-verified",
    "password-changed-notice",
    "password-reset-expired",
    "password-reset-requested-again-then-reset",
    "registration-compensated-at-activation",
    "registration-compensated-at-profile",
    "registration-profile-retried-after-timer",
    "registration-profile-retried-in-worker",
    "registration-risk-allowed",
    "registration-risk-held",
    "registration-risk-refused",
    "registration-succeeded",
    "security-notice-new-sign-in",
    "security-notice",
  ]);
  expect(new Set(recorded.map((r) => workflowType(r.history)))).toEqual(
    new Set([
      "registrationWorkflow",
      "emailVerificationWorkflow",
      "passwordResetWorkflow",
      "passwordChangedNoticeWorkflow",
      "securityNoticeWorkflow",
    ]),
  );
});

test("every recorded history replays against today's workflow code", async () => {
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle(), replayName: "fixtures" }, recorded)) {
    if (result.error !== undefined) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
});

test("a change that reorders a saga's steps is caught: the recorded registration no longer replays", async () => {
  const changed = await bundleWorkflowCode({
    workflowsPath: require.resolve("./histories/reordered-registration"),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  const succeeded = recorded.find((r) => r.workflowId === "registration-succeeded")!;
  await expect(Worker.runReplayHistory({ workflowBundle: changed }, succeeded.history, succeeded.workflowId)).rejects.toMatchObject({
    name: "DeterminismViolationError",
  });
});
