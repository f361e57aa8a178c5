import { randomUUID } from "node:crypto";
import { createInternalClient } from "@flowshield/common/internal-client";
import { EmailCodePurpose, UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { OPERATOR_CREDENTIAL, SERVICE_CREDENTIAL } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { useFullStack } from "../support/stack";
import { createActiveUser } from "../support/users";

// Each internal caller holding one stolen credential, trying the other caller's RPCs. On the main
// of 2026-12-05 one shared service credential did everything: whoever held the worker's could
// administer OAuth clients, and whoever held it could ask IssueEmailCode for any user's code.

jest.setTimeout(60_000);

const stack = useFullStack();

const asWorker = () => createInternalClient(UserAdminService, stack().auth.internalUrl, SERVICE_CREDENTIAL);
const asOperator = () => createInternalClient(UserAdminService, stack().auth.internalUrl, OPERATOR_CREDENTIAL);

test("the operator's credential cannot be handed a user's code, nor expire an account", async () => {
  const user = await createActiveUser(stack().auth.internalUrl);
  expect(await outcomeOf(asOperator().issueEmailCode({ userId: user.id, purpose: EmailCodePurpose.RESET_PASSWORD }))).toMatchObject({
    code: Code.PermissionDenied,
    message: "the operator credential may not call IssueEmailCode",
  });
  expect(await outcomeOf(asOperator().expireUnverifiedUser({ userId: user.id }))).toMatchObject({ code: Code.PermissionDenied });
  // The worker's can (it mails the code): the refusal above is the operator's rights, not the RPC.
  expect(await outcomeOf(asWorker().issueEmailCode({ userId: user.id, purpose: EmailCodePurpose.RESET_PASSWORD }))).toEqual({
    code: "ok",
  });
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
