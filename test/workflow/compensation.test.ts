import { ApplicationFailure, Client, Connection, WorkflowFailedError } from "@temporalio/client";
import { encryptedDataConverter } from "@flowshield/common/payload-codec";
import type { RegistrationActivities } from "@flowshield/workflows/activities";
import { FailureType, REGISTRATION_WORKFLOW, type RegistrationInput, type RegistrationResult } from "@flowshield/workflows/registration-contract";
import { testEnv, uniqueSuffix } from "../support/env";
import { startWorker } from "../support/stack";

// The saga's compensation logic on the real Temporal server, with activities faked in-process.

jest.setTimeout(60_000);

const input: RegistrationInput = { email: "a@example.com", passwordHash: "$2b$04$hash", username: "ada", displayName: "Ada" };
const user = { id: "", email: input.email, status: "active" as const, createTime: "2026-01-01T00:00:00.000Z", updateTime: "2026-01-01T00:00:00.000Z" };

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
  createUser: string[];
  createProfile: string[];
  deleteUser: string[];
}

// Runs one saga against the given activity behaviour and reports what was called.
async function runSaga(behaviour: {
  createProfile: (attempt: number) => Promise<void>;
  deleteUser?: (attempt: number) => Promise<void>;
}): Promise<{ calls: Calls; outcome: RegistrationResult | unknown }> {
  const calls: Calls = { createUser: [], createProfile: [], deleteUser: [] };
  const activities: RegistrationActivities = {
    async createUser({ id }) {
      calls.createUser.push(id);
      return { ...user, id };
    },
    async createProfile({ userId, username, displayName }) {
      calls.createProfile.push(userId);
      await behaviour.createProfile(calls.createProfile.length);
      return { id: "p1", userId, username, displayName };
    },
    async deleteUser(userId) {
      calls.deleteUser.push(userId);
      await behaviour.deleteUser?.(calls.deleteUser.length);
    },
  };
  const taskQueue = `compensation-${uniqueSuffix()}`;
  const worker = await startWorker(taskQueue, activities);
  try {
    const outcome = await client.workflow
      .execute(REGISTRATION_WORKFLOW, { taskQueue, workflowId: `wf-${uniqueSuffix()}`, args: [input] })
      .catch((err: unknown) => err);
    return { calls, outcome };
  } finally {
    await worker.stop();
  }
}

describe("registration workflow compensation", () => {
  test("a business failure of createProfile deletes the user at once and fails with its type", async () => {
    const { calls, outcome } = await runSaga({
      createProfile: async () => {
        throw ApplicationFailure.nonRetryable("username is taken", FailureType.alreadyExists);
      },
    });
    expect(calls.createProfile).toHaveLength(1);
    expect(calls.deleteUser).toEqual(calls.createUser);
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    expect((outcome as WorkflowFailedError).cause).toMatchObject({ type: FailureType.alreadyExists, message: "username is taken" });
  });

  test("a compensation that fails twice is retried until the user is deleted", async () => {
    const { calls, outcome } = await runSaga({
      createProfile: async () => {
        throw ApplicationFailure.nonRetryable("username is taken", FailureType.alreadyExists);
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
    expect((outcome as RegistrationResult).profile.userId).toBe(calls.createUser[0]);
  });
});
