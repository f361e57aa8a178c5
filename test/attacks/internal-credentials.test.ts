import { randomUUID } from "node:crypto";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { toJson } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { startAuthService } from "@flowshield/auth/server";
import { ErrorInfoSchema } from "@flowshield/gen/google/rpc/error_details_pb";
import { EmailCodePurpose, SendEmailCodeResponseSchema, UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { GOOD_PASSWORD, OPERATOR_CREDENTIAL, SERVICE_CREDENTIAL } from "../support/env";
import { codeIn } from "../support/mail-server";
import { Code, outcomeOf } from "../support/codes";
import { quietLog, testAuthConfig, useFullStack } from "../support/stack";
import { createActiveUser } from "../support/users";

// Each internal caller holding one stolen credential, trying the other caller's RPCs. On the main
// of 2026-12-05 one shared service credential did everything: whoever held the worker's could
// administer OAuth clients, and whoever held it could ask IssueEmailCode for any user's code (it
// answered the code to mail it; today auth mails it, SendEmailCode).

jest.setTimeout(60_000);

const stack = useFullStack();

const asWorker = () => createInternalClient(UserAdminService, stack().auth.internalUrl, SERVICE_CREDENTIAL);
const asOperator = () => createInternalClient(UserAdminService, stack().auth.internalUrl, OPERATOR_CREDENTIAL);

test("no caller is answered a code: the worker has auth mail it, the operator cannot even do that", async () => {
  const user = await createActiveUser(stack().auth.internalUrl);
  expect(await outcomeOf(asOperator().sendEmailCode({ userId: user.id, purpose: EmailCodePurpose.RESET_PASSWORD }))).toMatchObject({
    code: Code.PermissionDenied,
    message: "the operator credential may not call SendEmailCode",
  });
  expect(await outcomeOf(asOperator().expireUnverifiedUser({ userId: user.id }))).toMatchObject({ code: Code.PermissionDenied });
  // The worker's credential may (the refusal above is the operator's rights, not the RPC), and what
  // it is answered holds no code: the code is in the user's mailbox, and only there.
  const sent = await asWorker().sendEmailCode({ userId: user.id, purpose: EmailCodePurpose.RESET_PASSWORD });
  expect(Object.keys(toJson(SendEmailCodeResponseSchema, sent) as object)).toEqual(["expireTime"]);
  const code = codeIn(await stack().mail.waitForMail(user.email, /password reset code/));
  expect(JSON.stringify(toJson(SendEmailCodeResponseSchema, sent))).not.toContain(code.replace("-", ""));
  await stack().authGrpc.resetPassword({ email: user.email, code, newPassword: `${GOOD_PASSWORD}-new` });
  expect(await outcomeOf(stack().authGrpc.login({ email: user.email, password: `${GOOD_PASSWORD}-new` }))).toEqual({ code: "ok" });
});

test("a mail server that does not take the mail is UNAVAILABLE (the activity retries), never INTERNAL, and names no code", async () => {
  // testAuthConfig's SMTP port has nothing listening.
  const lonely = await startAuthService(testAuthConfig({ taskQueue: stack().taskQueue }), quietLog);
  try {
    const user = await createActiveUser(lonely.internalUrl);
    const worker = createInternalClient(UserAdminService, lonely.internalUrl, SERVICE_CREDENTIAL);
    const failed = await worker.sendEmailCode({ userId: user.id, purpose: EmailCodePurpose.RESET_PASSWORD }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(ConnectError);
    const err = failed as ConnectError;
    expect([err.code, err.rawMessage, err.findDetails(ErrorInfoSchema)[0]?.reason]).toEqual([
      Code.Unavailable,
      "the mail server did not take the mail; retry shortly",
      "MAIL_UNAVAILABLE",
    ]);
  } finally {
    await lonely.close();
  }
});

test("the worker's credential cannot disable users, read the audit trail or administer OAuth clients", async () => {
  const user = await createActiveUser(stack().auth.internalUrl);
  expect(await outcomeOf(asWorker().disableUser({ id: user.id }))).toMatchObject({ code: Code.PermissionDenied });
  expect(await outcomeOf(asWorker().enableUser({ id: user.id }))).toMatchObject({ code: Code.PermissionDenied });
  expect(await outcomeOf(asWorker().listAuditEvents({ userId: user.id }))).toMatchObject({ code: Code.PermissionDenied });
  const clients = createInternalClient(OAuthClientAdminService, stack().auth.internalUrl, SERVICE_CREDENTIAL);
  expect(
    await outcomeOf(
      clients.createClient({ name: "stolen", type: OAuthClientType.CONFIDENTIAL, grantTypes: [OAuthGrantType.CLIENT_CREDENTIALS] }),
    ),
  ).toMatchObject({ code: Code.PermissionDenied });
  expect(await outcomeOf(clients.listClients({}))).toMatchObject({ code: Code.PermissionDenied });
  // The user is as it was, and the operator's credential does what the worker's may not.
  expect((await asOperator().getUser({ id: user.id })).user?.status).toBe((await asWorker().getUser({ id: user.id })).user?.status);
  expect(await outcomeOf(asOperator().listAuditEvents({ userId: user.id }))).toEqual({ code: "ok" });
});

test("the operator's credential is not the profile service's: its internal listener knows only the worker", async () => {
  const profiles = createInternalClient(ProfileAdminService, stack().profile.internalUrl, OPERATOR_CREDENTIAL);
  expect(await outcomeOf(profiles.deleteProfile({ userId: randomUUID() }))).toMatchObject({ code: Code.Unauthenticated });
});
