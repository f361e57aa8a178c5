import { Client as TemporalClient, Connection } from "@temporalio/client";
import { encryptedDataConverter } from "@flowshield/common/temporal/payload-codec";
import { findUserByEmail } from "@flowshield/auth/db";
import { findProfileByUsername } from "@flowshield/profile/db";
import { emailVerificationWorkflowId } from "@flowshield/contracts/email-verification";
import { GOOD_PASSWORD, testEnv, uniqueEmail, uniqueUsername } from "../support/env";
import { useFullStack } from "../support/stack";

// The verification deadline on the real dev server, with a deadline of seconds: the reminder at
// half-time, then the removal saga, and the names free again. (test/workflow/ has the same with
// time skipping and the real 24 hours.)

jest.setTimeout(60_000);

const TTL_MS = 3_000;
const stack = useFullStack({ emailVerifyTtlMs: TTL_MS, requireVerifiedEmail: true });

let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: testEnv.temporalAddress() });
});
afterAll(async () => {
  await connection?.close();
});

test("an account never verified is reminded, then removed with its profile, and its names are free again", async () => {
  const client = stack().authGrpc;
  const email = uniqueEmail();
  const username = uniqueUsername();
  const { user } = await client.register({ email, password: GOOD_PASSWORD, username, displayName: "Late" });
  await stack().mail.waitForMail(email, /^Verify your FlowShield email$/);
  await stack().mail.waitForMail(email, /^Reminder: verify/);

  const temporal = new TemporalClient({ connection, dataConverter: encryptedDataConverter(testEnv.payloadKeys()) });
  expect(await temporal.workflow.getHandle(emailVerificationWorkflowId(user!.id)).result()).toBe("expired");
  expect(await findUserByEmail(stack().auth.db, email)).toBeUndefined();
  expect(await findProfileByUsername(stack().profile.db, username)).toBeUndefined();
  const { events } = await stack().userAdmin.listAuditEvents({ userId: user!.id, type: "account_expired" });
  expect(events).toHaveLength(1);

  // Free again: the same email and username register anew.
  const again = await client.register({ email, password: GOOD_PASSWORD, username, displayName: "On time" });
  expect(again.user?.id).not.toBe(user!.id);
});

test("an account verified before the deadline stays", async () => {
  const client = stack().authGrpc;
  const email = uniqueEmail();
  const { user } = await client.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Prompt" });
  const mail = await stack().mail.waitForMail(email, /^Verify your FlowShield email$/);
  await client.verifyEmail({ email, code: /code: (\S+)/.exec(mail.text)![1]! });
  const temporal = new TemporalClient({ connection, dataConverter: encryptedDataConverter(testEnv.payloadKeys()) });
  expect(await temporal.workflow.getHandle(emailVerificationWorkflowId(user!.id)).result()).toBe("verified");
  await new Promise((resolve) => setTimeout(resolve, TTL_MS));
  expect((await findUserByEmail(stack().auth.db, email))?.status).toBe("active");
});
