import { randomUUID } from "node:crypto";
import { ApplicationFailure, Client, Connection, WorkflowFailedError } from "@temporalio/client";
import { encryptedDataConverter } from "@flowshield/common/temporal/payload-codec";
import { ERROR_CATALOGUE } from "@flowshield/common/contract/error-catalogue";
import {
  REGISTRATION_WORKFLOW,
  RISK_LEVEL_SEARCH_ATTRIBUTE,
  type RegistrationClient,
  type RegistrationRisk,
  type RegistrationActivities,
  type RegistrationInput,
  type RegistrationResult,
} from "@flowshield/contracts/registration";
import { testEnv, uniqueSuffix } from "../support/env";
import { startWorker } from "../support/stack";
import { waitUntil } from "../support/wait";

// The saga's compensation logic on the real Temporal server, with activities faked in-process.

jest.setTimeout(60_000);

const input = (): RegistrationInput => ({
  userId: randomUUID(),
  email: "a@example.com",
  username: "ada",
  displayName: "Ada",
  client: { ip: "203.0.113.7", userAgent: "test", deviceId: "" },
});
const taken = () =>
  ApplicationFailure.create({
    message: "username is taken",
    type: ERROR_CATALOGUE.alreadyExists.failureType,
    nonRetryable: true,
    details: ["USERNAME_TAKEN", "username"],
  });

let connection: Connection;
let client: Client;
beforeAll(async () => {
  connection = await Connection.connect({ address: testEnv.temporalAddress() });
  client = new Client({ connection, dataConverter: encryptedDataConverter(testEnv.payloadKeys()) });
});
afterAll(async () => {
  await connection?.close();
});

interface Calls {
  assessRegistrationRisk: string[];
  createUser: string[];
  // createUser's verifyFirst, call by call.
  verifyFirst: boolean[];
  // The client each assessment was given.
  clients: RegistrationClient[];
  createProfile: string[];
  activateUser: string[];
  deleteUser: string[];
  deleteProfile: string[];
  // Every step and compensation, in the order they ran.
  order: string[];
}

// Runs one saga against the given activity behaviour and reports what was called.
async function runSaga(behaviour: {
  decision?: RegistrationRisk["decision"];
  input?: RegistrationInput;
  createProfile?: (attempt: number) => Promise<void>;
  activateUser?: (attempt: number) => Promise<void>;
  deleteUser?: (attempt: number) => Promise<void>;
}): Promise<{ calls: Calls; outcome: RegistrationResult | unknown; riskLevel: unknown }> {
  const calls: Calls = {
    assessRegistrationRisk: [],
    createUser: [],
    verifyFirst: [],
    clients: [],
    createProfile: [],
    activateUser: [],
    deleteUser: [],
    deleteProfile: [],
    order: [],
  };
  const called = (step: Exclude<keyof Calls, "order" | "verifyFirst" | "clients">, id: string) => {
    calls[step].push(id);
    calls.order.push(step);
    return calls[step].length;
  };
  const activities: RegistrationActivities = {
    async assessRegistrationRisk({ userId, client }) {
      called("assessRegistrationRisk", userId);
      calls.clients.push(client);
      const decision = behaviour.decision ?? "allow";
      return {
        decision,
        score: decision === "allow" ? 0 : 0.7,
        reasons: decision === "allow" ? [] : ["HOSTING_NETWORK"],
        policyVersion: "test",
      };
    },
    async createUser({ id, verifyFirst }) {
      called("createUser", id);
      calls.verifyFirst.push(verifyFirst);
      return { userId: id };
    },
    async createProfile({ userId }) {
      const attempt = called("createProfile", userId);
      await behaviour.createProfile?.(attempt);
      return { profileId: "p1" };
    },
    async activateUser(userId) {
      const attempt = called("activateUser", userId);
      await behaviour.activateUser?.(attempt);
    },
    async deleteUser(userId) {
      const attempt = called("deleteUser", userId);
      await behaviour.deleteUser?.(attempt);
    },
    async deleteProfile(userId) {
      called("deleteProfile", userId);
    },
  };
  const taskQueue = `compensation-${uniqueSuffix()}`;
  const worker = await startWorker(taskQueue, activities);
  try {
    const workflowId = `wf-${uniqueSuffix()}`;
    const outcome = await client.workflow
      .execute(REGISTRATION_WORKFLOW, { taskQueue, workflowId, args: [behaviour.input ?? input()] })
      .catch((err: unknown) => err);
    const { searchAttributes } = await client.workflow.getHandle(workflowId).describe();
    return { calls, outcome, riskLevel: searchAttributes[RISK_LEVEL_SEARCH_ATTRIBUTE] };
  } finally {
    await worker.stop();
  }
}

describe("registration workflow compensation", () => {
  test("a business failure of createProfile deletes the user at once and fails with its type", async () => {
    const { calls, outcome } = await runSaga({
      createProfile: async () => {
        throw taken();
      },
    });
    expect(calls.createProfile).toHaveLength(1);
    expect(calls.activateUser).toHaveLength(0);
    expect(calls.deleteUser).toEqual(calls.createUser);
    // No profile was made, so none is deleted.
    expect(calls.deleteProfile).toHaveLength(0);
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    // The failure keeps the step's type, message, reason and field, for the starter to answer with.
    expect((outcome as WorkflowFailedError).cause).toMatchObject({
      type: "AlreadyExists",
      message: "username is taken",
      details: ["USERNAME_TAKEN", "username"],
    });
  });

  test("activateUser failing for good after createProfile undoes both, the profile first", async () => {
    const { calls, outcome } = await runSaga({
      activateUser: async () => {
        throw ApplicationFailure.create({ message: "user not found", type: ERROR_CATALOGUE.notFound.failureType, nonRetryable: true });
      },
    });
    expect(calls.order).toEqual(["assessRegistrationRisk", "createUser", "createProfile", "activateUser", "deleteProfile", "deleteUser"]);
    expect(calls.deleteProfile).toEqual(calls.createUser);
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    expect((outcome as WorkflowFailedError).cause).toMatchObject({ type: ERROR_CATALOGUE.notFound.failureType });
  });

  test("a compensation that fails twice is retried until the user is deleted", async () => {
    const { calls, outcome } = await runSaga({
      createProfile: async () => {
        throw taken();
      },
      deleteUser: async (attempt) => {
        if (attempt <= 2) throw new Error("auth service unavailable");
      },
    });
    expect(calls.deleteUser).toHaveLength(3);
    expect(new Set(calls.deleteUser)).toEqual(new Set(calls.createUser));
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
  });

  test("an infrastructure failure of createProfile is retried, not compensated", async () => {
    const { calls, outcome } = await runSaga({
      createProfile: async (attempt) => {
        if (attempt <= 2) throw ApplicationFailure.retryable("UNAVAILABLE: profile service down", "Unavailable");
      },
    });
    expect(calls.createProfile).toHaveLength(3);
    expect(calls.deleteUser).toHaveLength(0);
    expect(calls.createUser).toHaveLength(1);
    expect(calls.activateUser).toEqual(calls.createUser);
    expect(outcome as RegistrationResult).toEqual({ userId: calls.createUser[0], profileId: "p1" });
  });
});

// The risk step (services/auth/src/risk): its decision is the saga's to act on, before anything is made.
describe("registration workflow's risk decision", () => {
  test("allowed: every step runs, and the Web UI's RiskLevel is low", async () => {
    const { calls, outcome, riskLevel } = await runSaga({});
    expect(calls.order).toEqual(["assessRegistrationRisk", "createUser", "createProfile", "activateUser"]);
    expect(calls.verifyFirst).toEqual([false]);
    expect(outcome).toEqual({ userId: calls.createUser[0], profileId: "p1" });
    expect(riskLevel).toEqual(["low"]);
  });

  test("refused: nothing is made, so nothing is compensated; PERMISSION_DENIED, RISK_REFUSED, no reason given", async () => {
    const { calls, outcome, riskLevel } = await runSaga({ decision: "refuse" });
    expect(calls.order).toEqual(["assessRegistrationRisk"]);
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    const cause = (outcome as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause).toMatchObject({
      type: ERROR_CATALOGUE.permissionDenied.failureType,
      details: ["RISK_REFUSED", null],
      nonRetryable: true,
    });
    expect(cause.message).not.toMatch(/HOSTING|score|0\.7/);
    expect(riskLevel).toEqual(["refused"]);
  });

  test("held: the user and profile are made and the user left pending (no activation, no verification)", async () => {
    const { calls, outcome, riskLevel } = await runSaga({ decision: "hold" });
    expect(calls.order).toEqual(["assessRegistrationRisk", "createUser", "createProfile"]);
    expect(outcome).toEqual({ userId: calls.createUser[0], profileId: "p1" });
    expect(riskLevel).toEqual(["high"]);
  });

  test("verify first: the user is made to verify its email before signing in", async () => {
    const { calls, riskLevel } = await runSaga({ decision: "verify_first" });
    expect(calls.order).toEqual(["assessRegistrationRisk", "createUser", "createProfile", "activateUser"]);
    expect(calls.verifyFirst).toEqual([true]);
    expect(riskLevel).toEqual(["medium"]);
  });

  test("a saga started without its client (by an auth service from before the risk step) is assessed as an unknown client", async () => {
    const { client: _client, ...older } = input();
    const { calls, outcome } = await runSaga({ input: older });
    expect(calls.clients).toEqual([{ ip: "", userAgent: "", deviceId: "" }]);
    expect(outcome).toEqual({ userId: calls.createUser[0], profileId: "p1" });
  });
});

// A local activity in flight when its worker stops is cancelled and retried by the SDK; retried
// within the worker, those retries held the worker's shutdown for as long as the step kept failing
// (a service down while the worker is redeployed). Retried after a server timer, the workflow task
// ends, the worker stops, and the next worker finishes the saga.
describe("registration workflow across a worker's stop", () => {
  const steps = (createProfile: () => Promise<void>): RegistrationActivities => ({
    assessRegistrationRisk: async () => ({ decision: "allow", score: 0, reasons: [], policyVersion: "test" }),
    createUser: async ({ id }) => ({ userId: id }),
    createProfile: async () => {
      await createProfile();
      return { profileId: "p1" };
    },
    activateUser: async () => undefined,
    deleteUser: async () => undefined,
    deleteProfile: async () => undefined,
  });

  test("a worker stopped while a step keeps failing stops at once; the next worker finishes the saga", async () => {
    const taskQueue = `compensation-${uniqueSuffix()}`;
    let attempts = 0;
    const down = await startWorker(
      taskQueue,
      steps(async () => {
        attempts++;
        throw ApplicationFailure.retryable("UNAVAILABLE: profile service down", "Unavailable");
      }),
    );
    const saga = input();
    const handle = await client.workflow.start(REGISTRATION_WORKFLOW, { taskQueue, workflowId: `wf-${uniqueSuffix()}`, args: [saga] });
    try {
      await waitUntil(() => attempts >= 2, 20_000);
    } finally {
      const stopping = performance.now();
      await down.stop();
      expect(performance.now() - stopping).toBeLessThan(5_000);
    }
    const up = await startWorker(
      taskQueue,
      steps(async () => undefined),
    );
    try {
      expect(await handle.result()).toEqual({ userId: saga.userId, profileId: "p1" });
    } finally {
      await up.stop();
    }
  });
});
