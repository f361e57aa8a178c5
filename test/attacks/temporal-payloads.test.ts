import { Client as TemporalClient, Connection, WorkflowFailedError } from "@temporalio/client";
import { temporal } from "@temporalio/proto";
import { encryptedDataConverter } from "@flowshield/common/temporal/payload-codec";
import { UserStatus } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import { REGISTRATION_WORKFLOW, type RegistrationInput } from "@flowshield/contracts/registration";
import { GOOD_PASSWORD, testEnv, uniqueEmail, uniqueSuffix, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { useFullStack } from "../support/stack";
import { waitUntil } from "../support/wait";

// Whoever reaches Temporal's frontend, aiming a registration saga at an account that exists. On
// the main of 2026-12-05 the plaintext saga (the CLI's default) ran, its profile step failed
// ("this user already has a profile") and its compensation deleted the user, leaving its profile.

jest.setTimeout(60_000);

const stack = useFullStack();

let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: testEnv.temporalAddress() });
});
afterAll(async () => {
  await connection?.close();
});

async function existingAccount(): Promise<RegistrationInput & { username: string }> {
  const email = uniqueEmail();
  const username = uniqueUsername();
  const { user } = await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username, displayName: "Owner" });
  return { userId: user!.id, email, username, displayName: "Owner", client: { ip: "127.0.0.1", userAgent: "test", deviceId: "" } };
}

async function expectUntouched(account: { userId: string; username: string }) {
  const { user } = await stack().userAdmin.getUser({ id: account.userId });
  expect(user?.status).toBe(UserStatus.ACTIVE);
  const { profile } = await stack().profileGrpc.getProfile({ lookup: { case: "userId", value: account.userId } });
  expect(profile?.username).toBe(account.username);
}

const EventType = temporal.api.enums.v1.EventType;

test("a plaintext registration saga started on Temporal naming an existing account is refused by the worker, and the account is untouched", async () => {
  const account = await existingAccount();
  // A Temporal client without FlowShield's payload codec: what `temporal workflow start` sends.
  const handle = await new TemporalClient({ connection }).workflow.start(REGISTRATION_WORKFLOW, {
    taskQueue: stack().taskQueue,
    workflowId: `attack-${uniqueSuffix()}`,
    args: [{ userId: account.userId, email: account.email, username: uniqueUsername(), displayName: "Mallory" }],
  });
  try {
    const failedTask = async () =>
      (await handle.fetchHistory()).events?.find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    await waitUntil(async () => (await failedTask()) !== undefined, 20_000, 200);
    const failed = await failedTask();
    expect(failed?.workflowTaskFailedEventAttributes?.failure?.message).toMatch(/refused an unencrypted payload/);
    // Not one step ran: no local activity's marker, no activity scheduled.
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.map((e) => e.eventType)).not.toContain(EventType.EVENT_TYPE_MARKER_RECORDED);
    expect(events.map((e) => e.eventType)).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  } finally {
    await handle.terminate("attack test");
  }
  await expectUntouched(account);
});

test("an encrypted saga (a key holder) naming an existing account fails at CreateUser and compensates nothing", async () => {
  const account = await existingAccount();
  const keyHolder = new TemporalClient({ connection, dataConverter: encryptedDataConverter(testEnv.payloadKeys()) });
  const outcome = await keyHolder.workflow
    .execute(REGISTRATION_WORKFLOW, {
      taskQueue: stack().taskQueue,
      workflowId: `attack-${uniqueSuffix()}`,
      args: [{ userId: account.userId, email: account.email, username: uniqueUsername(), displayName: "Mallory" }],
    })
    .catch((err: unknown) => err);
  expect(outcome).toBeInstanceOf(WorkflowFailedError);
  expect((outcome as WorkflowFailedError).cause).toMatchObject({ type: "AlreadyExists" });
  await expectUntouched(account);
});

test("CreateUser with an existing account's id and email is ALREADY_EXISTS, not a retry answered with the account", async () => {
  const account = await existingAccount();
  const { user } = await stack().userAdmin.getUser({ id: account.userId });
  expect(await outcomeOf(stack().userAdmin.createUser({ id: account.userId, email: account.email, passwordHash: "" }))).toMatchObject({
    code: Code.AlreadyExists,
  });
  expect((await stack().userAdmin.getUser({ id: account.userId })).user?.updateTime).toEqual(user?.updateTime);
});
