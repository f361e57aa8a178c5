import type { ConnectRouter } from "@connectrpc/connect";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { translatingErrors } from "@flowshield/common/error-catalogue";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { AuthDeps } from "../../kernel/app/dependencies";
import {
  activateUser,
  createUser,
  deleteUser,
  expireUnverifiedUser,
  getUser,
  sendEmailCode,
  listAuditEvents,
  setUserDisabled,
} from "../app/user-admin";
import { callerOf, NO_PROXIES } from "../../kernel/ports/caller";
import { auditEventToProto, purposeFromProto, userToProto } from "../../kernel/ports/translate";

// UserAdminService on the internal listener, called by the workflows' activities and operators.

const empty = (_done: void) => ({});

export function userAdminServiceRoutes(deps: AuthDeps) {
  return (router: ConnectRouter) =>
    router.service(UserAdminService, {
      createUser: (req) => translatingErrors(async () => ({ user: userToProto(await createUser(deps, req)) })),
      activateUser: (req, ctx) =>
        translatingErrors(async () => ({ user: userToProto(await activateUser(deps, req, callerOf(ctx, NO_PROXIES))) })),
      getUser: (req) => translatingErrors(async () => ({ user: userToProto(await getUser(deps.users, req)) })),
      deleteUser: (req) => translatingErrors(async () => empty(await deleteUser(deps.users, req))),
      sendEmailCode: (req) =>
        translatingErrors(async () => {
          const sent = await sendEmailCode(deps, { userId: req.userId, purpose: purposeFromProto(req.purpose), reminder: req.reminder });
          return { expireTime: timestampFromDate(sent.expireTime) };
        }),
      expireUnverifiedUser: (req, ctx) => translatingErrors(async () => expireUnverifiedUser(deps.users, req, callerOf(ctx, NO_PROXIES))),
      disableUser: (req, ctx) =>
        translatingErrors(async () => ({ user: userToProto(await setUserDisabled(deps, req, true, callerOf(ctx, NO_PROXIES))) })),
      enableUser: (req, ctx) =>
        translatingErrors(async () => ({ user: userToProto(await setUserDisabled(deps, req, false, callerOf(ctx, NO_PROXIES))) })),
      listAuditEvents: (req) =>
        translatingErrors(async () => {
          const page = await listAuditEvents(deps, req);
          return { events: page.events.map(auditEventToProto), nextPageToken: page.nextPageToken };
        }),
    });
}
