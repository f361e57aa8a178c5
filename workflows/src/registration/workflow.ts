import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  metricMeter,
  patched,
  proxyActivities,
  proxyLocalActivities,
  upsertSearchAttributes,
} from "@temporalio/workflow";
import { defineSearchAttributeKey } from "@temporalio/common";
import {
  RISK_LEVEL_SEARCH_ATTRIBUTE,
  RISK_LEVELS,
  RISK_REFUSED,
  UNKNOWN_CLIENT,
  type RegistrationActivities,
  type RegistrationInput,
  type RegistrationResult,
} from "@flowshield/contracts/registration";
import { RETRIES_AFTER_A_TIMER } from "../local-activity-retries";

// Infrastructure failures are retried without limit, with backoff capped at 30 s: a service that is
// down for a while delays a registration, it does not undo it. Business failures are thrown as
// non-retryable by the activities and are never retried.
//
// Local activities: each step is one short, idempotent RPC, so the worker runs it in the same
// workflow task instead of a round trip through the server's task queue per step. The whole saga
// is then one workflow task (BENCHMARKS.md, "What was changed to get here", has the saving).
// Every retry of a local step waits on a server timer (local-activity-retries.ts says why): with
// these intervals, under a minute each, every retry had run within the worker.
const STEP_OPTIONS = {
  startToCloseTimeout: "15 seconds",
  retry: { initialInterval: "500 milliseconds", backoffCoefficient: 2, maximumInterval: "30 seconds" },
} as const;
const { assessRegistrationRisk, createUser, createProfile, activateUser, deleteUser, deleteProfile } =
  proxyLocalActivities<RegistrationActivities>({ ...STEP_OPTIONS, ...RETRIES_AFTER_A_TIMER });
// createUser after the risk step (below): a regular activity, which ends the step's workflow task.
const { createUser: createUserDurably } = proxyActivities<RegistrationActivities>(STEP_OPTIONS);

const RISK_LEVEL = defineSearchAttributeKey(RISK_LEVEL_SEARCH_ATTRIBUTE, "KEYWORD");

// The registration saga: assessRegistrationRisk, createUser (pending), createProfile, activateUser.
// The risk decision (recorded in the history, encrypted like every payload; its level shown as a
// search attribute) comes first: a refusal fails the saga before anything is made, so there is
// nothing to compensate; verify_first makes a user that may not sign in before its email is
// verified; a hold leaves the user pending — no activation, no verification mail — for an
// operator to activate (ActivateUser) or delete. (Histories from before the risk step replay
// without it: `patched`.) When createProfile or
// activateUser fails for good, what the steps before it made is deleted, last first (deleteProfile,
// deleteUser); compensations retry until they succeed, and run even if the workflow is being
// cancelled. activateUser has no undo: it is the last step, so once it succeeded nothing can fail
// after it. It also starts the account's email verification workflow (it outlives the saga, with
// a deadline of its own), from the auth service within that one step rather than as a child
// workflow, which cost each registration two more workflow tasks (BENCHMARKS.md).
//
// How each saga ends is counted through the SDK's metric meter, which counts a workflow's code once
// however often it is replayed (the worker's /metrics: flowshield_registrations_finished_total).
export async function registrationWorkflow(input: RegistrationInput): Promise<RegistrationResult> {
  const { userId } = input;
  const finished = metricMeter.createCounter("flowshield_registrations_finished", "1", "Registration sagas finished, by outcome");
  const risk = patched("registration-risk")
    ? await assessRegistrationRisk({ userId, email: input.email, client: input.client ?? UNKNOWN_CLIENT })
    : undefined;
  if (risk !== undefined) upsertSearchAttributes([{ key: RISK_LEVEL, value: RISK_LEVELS[risk.decision] }]);
  if (risk?.decision === "refuse") {
    finished.add(1, { outcome: "refused" });
    throw ApplicationFailure.create({
      type: "PermissionDenied",
      message: "this registration was refused; try again later or contact support",
      nonRetryable: true,
      details: [RISK_REFUSED, null],
    });
  }
  const compensations: Array<() => Promise<void>> = [];
  try {
    // The search attribute is a command the server may refuse (one it does not know yet: a cluster
    // learns a new one within a minute), and a refused workflow task runs its local activities
    // again — a createUser run again after activateUser finds the account active and is refused.
    // So with the risk step, createUser is a regular activity: scheduling it ends this task with
    // the attribute, before anything is made (a timer did that too, but fires up to a second late).
    const create = risk !== undefined ? createUserDurably : createUser;
    await create({ id: userId, email: input.email, verifyFirst: risk?.decision === "verify_first" });
    compensations.unshift(() => deleteUser(userId));
    const { profileId } = await createProfile({ userId, username: input.username, displayName: input.displayName });
    compensations.unshift(() => deleteProfile(userId));
    if (risk?.decision === "hold") {
      finished.add(1, { outcome: "held" });
      return { userId, profileId };
    }
    await activateUser(userId);
    finished.add(1, { outcome: "succeeded" });
    return { userId, profileId };
  } catch (err) {
    await CancellationScope.nonCancellable(async () => {
      for (const compensate of compensations) await compensate();
    });
    // Compensated: what the steps made is deleted (nothing, when createUser failed).
    finished.add(1, { outcome: "compensated" });
    throw asWorkflowFailure(err);
  }
}

// Surfaces an activity's business failure as the workflow's own (type, message, reason and field),
// so that the starter reads it directly.
function asWorkflowFailure(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    const { type, message, details } = err.cause;
    return ApplicationFailure.create({ type: type ?? undefined, message, details: details ?? undefined, nonRetryable: true });
  }
  return err;
}
