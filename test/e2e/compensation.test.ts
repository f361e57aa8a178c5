import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ApplicationFailure } from "@temporalio/common";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { findUserByEmail } from "@flowshield/auth/db";
import { findProfileByUsername } from "@flowshield/profile/db";
import { ERROR_CATALOGUE } from "@flowshield/common/contract/error-catalogue";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import type { RunningWorker } from "@flowshield/workflows/worker";
import { GOOD_PASSWORD, uniqueEmail, uniqueSuffix, uniqueUsername } from "../support/env";
import { outcomeOf } from "../support/codes";
import { quietLog, startWorker, testAuthConfig, testMailSettings, useFullStack, workerActivities } from "../support/stack";

// Every step the saga made is undone when a later one fails for good: here the last step,
// activateUser, after real createUser and createProfile calls made the user and the profile.

jest.setTimeout(60_000);

const stack = useFullStack();

let auth: RunningAuthService;
let worker: RunningWorker;
beforeAll(async () => {
  const taskQueue = `compensation-${uniqueSuffix()}`;
  auth = await startAuthService(testAuthConfig({ taskQueue, mail: testMailSettings(stack().mail.url) }), quietLog);
  const real = workerActivities({ auth, profile: stack().profile }, stack().mail.url);
  worker = await startWorker(taskQueue, {
    ...real,
    async activateUser() {
      throw ApplicationFailure.create({ message: "user not found", type: ERROR_CATALOGUE.notFound.failureType, nonRetryable: true });
    },
  });
});
afterAll(async () => {
  await worker?.stop();
  await auth?.close();
});

test("activateUser failing for good after createProfile removes the profile and the user", async () => {
  const email = uniqueEmail();
  const username = uniqueUsername();
  const client = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
  expect(await outcomeOf(client.register({ email, password: GOOD_PASSWORD, username, displayName: "Undone" }))).toMatchObject({
    code: Code.NotFound,
  });
  expect(await findProfileByUsername(stack().profile.db, username)).toBeUndefined();
  expect(await findUserByEmail(auth.db, email)).toBeUndefined();
});
