import { randomUUID } from "node:crypto";
import { ApplicationFailure, Client, Connection, WorkflowFailedError } from "@temporalio/client";
import { encryptedDataConverter } from "@flowshield/common/temporal/payload-codec";
import { ERROR_CATALOGUE } from "@flowshield/common/contract/error-catalogue";
import {
  REGISTRATION_WORKFLOW,
  type RegistrationActivities,
  type RegistrationInput,
  type RegistrationResult,
} from "@flowshield/contracts/registration";
import { testEnv, uniqueSuffix } from "../support/env";
import { startWorker } from "../support/stack";

// The saga's compensation logic on the real Temporal server, with activities faked in-process.

jest.setTimeout(60_000);

const input = (): RegistrationInput => ({
  userId: randomUUID(),
  email: "a@example.com",
  username: "ada",
  displayName: "Ada",
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
  createUser: string[];
  createProfile: string[];
  activateUser: string[];
  deleteUser: string[];
  deleteProfile: string[];
  // Every step and compensation, in the order they ran.
  order: string[];
}

// Runs one saga against the given activity behaviour and reports what was called.
async function runSaga(behaviour: {
  createProfile?: (attempt: number) => Promise<void>;
  activateUser?: (attempt: number) => Promise<void>;
  deleteUser?: (attempt: number) => Promise<void>;
}): Promise<{ calls: Calls; outcome: RegistrationResult | unknown }> {
  const calls: Calls = { createUser: [], createProfile: [], activateUser: [], deleteUser: [], deleteProfile: [], order: [] };
  const called = (step: Exclude<keyof Calls, "order">, id: string) => {
    calls[step].push(id);
    calls.order.push(step);
    return calls[step].length;
  };
  const activities: RegistrationActivities = {
    async createUser({ id }) {
      called("createUser", id);
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
    const outcome = await client.workflow
      .execute(REGISTRATION_WORKFLOW, { taskQueue, workflowId: `wf-${uniqueSuffix()}`, args: [input()] })
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
    expect(calls.order).toEqual(["createUser", "createProfile", "activateUser", "deleteProfile", "deleteUser"]);
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
