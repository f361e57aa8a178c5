import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Client as TemporalClient, Connection } from "@temporalio/client";
import { temporal } from "@temporalio/proto";
import { Writable } from "node:stream";
import { createLogger } from "@flowshield/common/observability/logger";
import { EncryptionCodec, encryptedDataConverter } from "@flowshield/common/temporal/payload-codec";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { findUserByEmail } from "@flowshield/auth/db";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { emailVerificationWorkflowId } from "@flowshield/contracts/email-verification";
import { passwordResetWorkflowId } from "@flowshield/contracts/password-reset";
import { GOOD_PASSWORD, testEnv, uniqueEmail, uniqueUsername } from "../support/env";
import { codeIn } from "../support/mail-server";
import { testAuthConfig, useFullStack } from "../support/stack";

// The whole journey through an auth service that logs everything (trace), then: no code, token,
// password or hash in any log line, nor anywhere in the lifecycle workflows' histories — not even
// inside their encrypted payloads.

jest.setTimeout(60_000);

const stack = useFullStack();
const logLines: string[] = [];
let auth: RunningAuthService;
let connection: Connection;
beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  auth = await startAuthService(
    testAuthConfig({ taskQueue: stack().taskQueue, requireVerifiedEmail: true }),
    createLogger("auth", "trace", sink),
  );
  connection = await Connection.connect({ address: testEnv.temporalAddress() });
});
afterAll(async () => {
  await auth?.close();
  await connection?.close();
});

// Every byte of a workflow's history, and the text of every payload in it once decrypted.
async function historyOf(workflowId: string): Promise<{ raw: Buffer; opened: string }> {
  const history = await new TemporalClient({ connection }).workflow.getHandle(workflowId).fetchHistory();
  const raw = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  const payloads = (history.events ?? []).flatMap((e) => [
    ...(e.workflowExecutionStartedEventAttributes?.input?.payloads ?? []),
    ...(e.activityTaskScheduledEventAttributes?.input?.payloads ?? []),
    ...(e.activityTaskCompletedEventAttributes?.result?.payloads ?? []),
    ...(e.workflowExecutionSignaledEventAttributes?.input?.payloads ?? []),
    ...(e.workflowExecutionCompletedEventAttributes?.result?.payloads ?? []),
  ]);
  const decoded = await new EncryptionCodec(testEnv.payloadKeys()).decode(payloads);
  return { raw, opened: decoded.map((p) => Buffer.from(p.data ?? []).toString()).join("\n") };
}

test("codes, tokens, passwords and hashes appear in no log line and no workflow history", async () => {
  const client = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
  const email = uniqueEmail();
  const password = `journey ${GOOD_PASSWORD}`;
  const { user } = await client.register({ email, password, username: uniqueUsername(), displayName: "Secretive" });
  const verifyCode = codeIn(await stack().mail.waitForMail(email, /^Verify your FlowShield email$/));
  await client.verifyEmail({ email, code: verifyCode });
  const login = await client.login({ email, password });
  const refreshed = await client.refreshToken({ refreshToken: login.refreshToken });
  await client.requestPasswordReset({ email });
  const resetCode = codeIn(await stack().mail.waitForMail(email, /password reset code/));
  const newPassword = `reset ${GOOD_PASSWORD}`;
  await client.resetPassword({ email, code: resetCode, newPassword });
  await stack().mail.waitForMail(email, /password was changed/);
  const hash = (await findUserByEmail(stack().auth.db, email))!.password_hash;

  const secrets = [
    password,
    newPassword,
    hash,
    verifyCode,
    verifyCode.replace("-", ""),
    resetCode,
    resetCode.replace("-", ""),
    login.accessToken,
    login.refreshToken,
    refreshed.accessToken,
    refreshed.refreshToken,
  ];
  const logs = logLines.join("");
  expect(logs).toContain("AuthService/ResetPassword"); // the calls were logged
  for (const secret of secrets) expect(logs).not.toContain(secret);

  const temporalClient = new TemporalClient({ connection, dataConverter: encryptedDataConverter(testEnv.payloadKeys()) });
  await temporalClient.workflow.getHandle(passwordResetWorkflowId(user!.id)).result();
  for (const workflowId of [emailVerificationWorkflowId(user!.id), passwordResetWorkflowId(user!.id)]) {
    const { raw, opened } = await historyOf(workflowId);
    expect(opened).toContain(user!.id); // the payloads were there to be searched
    for (const secret of secrets) {
      expect(raw.includes(secret)).toBe(false);
      expect(opened).not.toContain(secret);
    }
  }
});
