import { ApplicationFailure } from "@temporalio/common";
import { TestWorkflowEnvironment } from "@temporalio/testing";
import { Worker } from "@temporalio/worker";
import {
  EMAIL_VERIFICATION_WORKFLOW,
  EMAIL_VERIFIED_SIGNAL,
  RESEND_VERIFICATION_SIGNAL,
  type EmailVerificationActivities,
} from "@flowshield/contracts/email-verification";
import {
  PASSWORD_RESET_SIGNAL,
  PASSWORD_RESET_WORKFLOW,
  RESET_REQUESTED_SIGNAL,
  type PasswordResetActivities,
} from "@flowshield/contracts/password-reset";
import { uniqueSuffix } from "../support/env";
import { workflowBundle } from "../support/stack";
import { waitUntil } from "../support/wait";

// The lifecycle workflows' clocks with the real deadlines (24 hours, 15 minutes), on Temporal's
// time-skipping test server (`make test-server`). The activities are recorders: this is about
// what the workflows do when; test/lifecycle runs them with the real services and mail.

jest.setTimeout(120_000);

const DAY_MS = 24 * 3_600_000;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const path = process.env.TEMPORAL_TEST_SERVER;
  if (path === undefined)
    throw new Error("TEMPORAL_TEST_SERVER is not set: run the tests through `make test` (or `make test-server` first)");
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: "existing-path", path } } });
});
afterAll(async () => {
  await env?.teardown();
});

type Recorded = Array<[string, ...unknown[]]>;

interface Behaviour {
  expired?: boolean;
  // How many of the first verification mails fail, and how: a mail server that blinks (retried)
  // or a mail refused for good (not retried).
  mailFailures?: { count: number; forGood: boolean };
}

function recorders(calls: Recorded, behaviour: Behaviour = {}): EmailVerificationActivities & PasswordResetActivities {
  let mailsTried = 0;
  return {
    async sendVerificationCode({ reminder }) {
      calls.push(["sendVerificationCode", reminder]);
      const failures = behaviour.mailFailures;
      if (failures !== undefined && mailsTried++ < failures.count) {
        if (failures.forGood) throw ApplicationFailure.nonRetryable("the mail server refused the address");
        throw new Error("the mail server is unreachable");
      }
      return { sent: true };
    },
    async expireUnverifiedUser() {
      calls.push(["expireUnverifiedUser"]);
      return { expired: behaviour.expired ?? true };
    },
    async deleteProfile() {
      calls.push(["deleteProfile"]);
    },
    async deleteUser() {
      calls.push(["deleteUser"]);
    },
    async sendPasswordResetCode() {
      calls.push(["sendPasswordResetCode"]);
    },
    async sendPasswordChangedNotice() {
      calls.push(["sendPasswordChangedNotice"]);
    },
  };
}

// Runs `body` with a worker hosting the workflows on a task queue of its own.
async function withWorker<T>(calls: Recorded, body: (taskQueue: string) => Promise<T>, behaviour: Behaviour = {}): Promise<T> {
  const taskQueue = `timers-${uniqueSuffix()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: recorders(calls, behaviour),
  });
  return worker.runUntil(body(taskQueue));
}

const names = (calls: Recorded) => calls.map(([name]) => name);

// Until `calls` holds n calls, moving the test server's clock on a second at a time: a failed
// mail is retried after a server timer, and this server's clock stands still unless moved.
async function untilCalls(calls: Recorded, n: number): Promise<void> {
  await waitUntil(async () => {
    if (calls.length < n) await env.sleep("1 second");
    return calls.length >= n;
  }, 20_000);
}

describe("emailVerificationWorkflow", () => {
  test("never verified: a reminder at half of the 24 hours, then the profile and the user are removed", async () => {
    const calls: Recorded = [];
    const outcome = await withWorker(calls, async (taskQueue) => {
      const handle = await env.client.workflow.start(EMAIL_VERIFICATION_WORKFLOW, {
        taskQueue,
        workflowId: `verify-${uniqueSuffix()}`,
        args: [{ userId: "u1", ttlMs: DAY_MS }],
      });
      await waitUntil(() => calls.length === 1, 10_000);
      await env.sleep("11 hours");
      expect(calls).toEqual([["sendVerificationCode", false]]);
      await env.sleep("2 hours");
      await waitUntil(() => calls.length === 2, 10_000);
      expect(calls[1]).toEqual(["sendVerificationCode", true]);
      return handle.result();
    });
    expect(outcome).toBe("expired");
    expect(names(calls)).toEqual(["sendVerificationCode", "sendVerificationCode", "expireUnverifiedUser", "deleteProfile", "deleteUser"]);
  });

  // The mails go as local activities: retried within the worker, and a mail that cannot be sent
  // never holds the deadline back.
  test.each([
    ["a mail server that blinks twice: the first mail is retried until it is sent", { count: 2, forGood: false }, 3],
    ["a mail refused for good: not retried, and the workflow goes on", { count: 1, forGood: true }, 1],
  ])("%s; the reminder and the deadline still come", async (_, mailFailures, firstMailTries) => {
    const calls: Recorded = [];
    const outcome = await withWorker(
      calls,
      async (taskQueue) => {
        const handle = await env.client.workflow.start(EMAIL_VERIFICATION_WORKFLOW, {
          taskQueue,
          workflowId: `verify-${uniqueSuffix()}`,
          args: [{ userId: "u1", ttlMs: DAY_MS }],
        });
        await untilCalls(calls, firstMailTries);
        await env.sleep("13 hours");
        await waitUntil(() => calls.length === firstMailTries + 1, 10_000);
        return handle.result();
      },
      { mailFailures },
    );
    expect(outcome).toBe("expired");
    expect(calls).toEqual([
      ...Array.from({ length: firstMailTries }, () => ["sendVerificationCode", false]),
      ["sendVerificationCode", true],
      ["expireUnverifiedUser"],
      ["deleteProfile"],
      ["deleteUser"],
    ]);
  });

  // A local activity in flight when its worker stops is cancelled and retried; retried within the
  // worker (the SDK's default for a backoff under a minute), the retries held the worker's shutdown
  // for a minute (`make test`'s stack stops timed out). Retried by a server timer, the task ends and
  // the worker stops; the next worker sends the mail.
  test("a worker stopped while a mail keeps failing stops at once; the next worker sends the mail", async () => {
    const calls: Recorded = [];
    const taskQueue = `timers-${uniqueSuffix()}`;
    // No workflow cache: the test server would hold the retry for the stopped worker's own queue.
    const worker = async (behaviour: Behaviour) =>
      Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities: recorders(calls, behaviour),
        maxCachedWorkflows: 0,
      });
    const failing = await worker({ mailFailures: { count: Number.MAX_SAFE_INTEGER, forGood: false } });
    const running = failing.run();
    const handle = await env.client.workflow.start(EMAIL_VERIFICATION_WORKFLOW, {
      taskQueue,
      workflowId: `verify-${uniqueSuffix()}`,
      args: [{ userId: "u5", ttlMs: DAY_MS }],
    });
    await waitUntil(() => calls.length >= 1, 10_000);
    const stopping = Date.now();
    failing.shutdown();
    await running;
    expect(Date.now() - stopping).toBeLessThan(5_000);
    const tried = calls.length;
    const working = await worker({});
    const outcome = await working.runUntil(async () => {
      await untilCalls(calls, tried + 1);
      await handle.signal(EMAIL_VERIFIED_SIGNAL);
      return handle.result();
    });
    expect(outcome).toBe("verified");
  });

  test("verified in time: the signal ends it, nothing is removed", async () => {
    const calls: Recorded = [];
    const outcome = await withWorker(calls, async (taskQueue) => {
      const handle = await env.client.workflow.start(EMAIL_VERIFICATION_WORKFLOW, {
        taskQueue,
        workflowId: `verify-${uniqueSuffix()}`,
        args: [{ userId: "u2", ttlMs: DAY_MS }],
      });
      await waitUntil(() => calls.length === 1, 10_000);
      await env.sleep("20 hours");
      await handle.signal(EMAIL_VERIFIED_SIGNAL);
      return handle.result();
    });
    expect(outcome).toBe("verified");
    expect(names(calls)).toEqual(["sendVerificationCode", "sendVerificationCode"]);
  });

  test("a verification that raced the deadline wins: the database said verified, nothing is removed", async () => {
    const calls: Recorded = [];
    const outcome = await withWorker(
      calls,
      async (taskQueue) =>
        env.client.workflow.execute(EMAIL_VERIFICATION_WORKFLOW, {
          taskQueue,
          workflowId: `verify-${uniqueSuffix()}`,
          args: [{ userId: "u3", ttlMs: DAY_MS }],
        }),
      { expired: false },
    );
    expect(outcome).toBe("verified");
    expect(names(calls)).toEqual(["sendVerificationCode", "sendVerificationCode", "expireUnverifiedUser"]);
  });

  test("a resend request mails a fresh code at once", async () => {
    const calls: Recorded = [];
    await withWorker(calls, async (taskQueue) => {
      const handle = await env.client.workflow.start(EMAIL_VERIFICATION_WORKFLOW, {
        taskQueue,
        workflowId: `verify-${uniqueSuffix()}`,
        args: [{ userId: "u4", ttlMs: DAY_MS }],
      });
      await waitUntil(() => calls.length === 1, 10_000);
      await handle.signal(RESEND_VERIFICATION_SIGNAL);
      await waitUntil(() => calls.length === 2, 10_000);
      await handle.signal(EMAIL_VERIFIED_SIGNAL);
      return handle.result();
    });
    expect(calls).toEqual([
      ["sendVerificationCode", false],
      ["sendVerificationCode", false],
    ]);
  });
});

describe("passwordResetWorkflow", () => {
  test("a reset code not used within 15 minutes expires, and no notice is sent", async () => {
    const calls: Recorded = [];
    const outcome = await withWorker(calls, (taskQueue) =>
      env.client.workflow.execute(PASSWORD_RESET_WORKFLOW, { taskQueue, workflowId: `reset-${uniqueSuffix()}`, args: [{ userId: "u5" }] }),
    );
    expect(outcome).toBe("expired");
    expect(names(calls)).toEqual(["sendPasswordResetCode"]);
  });

  test("a completed reset sends the notice; a request in between sends a fresh code", async () => {
    const calls: Recorded = [];
    const outcome = await withWorker(calls, async (taskQueue) => {
      const handle = await env.client.workflow.signalWithStart(PASSWORD_RESET_WORKFLOW, {
        taskQueue,
        workflowId: `reset-${uniqueSuffix()}`,
        args: [{ userId: "u6" }],
        signal: RESET_REQUESTED_SIGNAL,
        signalArgs: [],
      });
      await waitUntil(() => calls.length === 1, 10_000);
      await env.sleep("10 minutes");
      await handle.signal(RESET_REQUESTED_SIGNAL);
      await waitUntil(() => calls.length === 2, 10_000);
      // The fresh code has its own 15 minutes.
      await env.sleep("14 minutes");
      await handle.signal(PASSWORD_RESET_SIGNAL);
      return handle.result();
    });
    expect(outcome).toBe("reset");
    expect(names(calls)).toEqual(["sendPasswordResetCode", "sendPasswordResetCode", "sendPasswordChangedNotice"]);
  });
});
