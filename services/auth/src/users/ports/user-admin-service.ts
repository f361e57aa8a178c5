import type { ConnectRouter } from "@connectrpc/connect";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { translatingErrors } from "@flowshield/common/contract/error-catalogue";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { AuthApplication } from "../../kernel/app/application";
import { callerOf, NO_PROXIES } from "../../kernel/ports/caller";
import { auditEventToProto, purposeFromProto, userToProto } from "../../kernel/ports/translate";

// UserAdminService on the internal listener, called by the workflows' activities and operators.

const empty = (_done: void) => ({});

export function userAdminServiceRoutes(app: AuthApplication) {
  return (router: ConnectRouter) =>
    router.service(UserAdminService, {
      createUser: (req) => translatingErrors(async () => ({ user: userToProto(await app.createUser(req)) })),
      activateUser: (req, ctx) =>
        translatingErrors(async () => ({ user: userToProto(await app.activateUser(req, callerOf(ctx, NO_PROXIES))) })),
      getUser: (req) => translatingErrors(async () => ({ user: userToProto(await app.getUser(req)) })),
      deleteUser: (req) => translatingErrors(async () => empty(await app.deleteUser(req))),
      sendEmailCode: (req) =>
        translatingErrors(async () => {
          const sent = await app.sendEmailCode({
            userId: req.userId,
            purpose: purposeFromProto(req.purpose),
            reminder: req.reminder,
            ...(req.signIn !== undefined
              ? {
                  signIn: {
                    time: req.signIn.time !== undefined ? timestampDate(req.signIn.time) : new Date(),
                    place: req.signIn.place,
                    device: req.signIn.device,
                  },
                }
              : {}),
          });
          return { expireTime: timestampFromDate(sent.expireTime) };
        }),
      expireUnverifiedUser: (req, ctx) => translatingErrors(async () => app.expireUnverifiedUser(req, callerOf(ctx, NO_PROXIES))),
      disableUser: (req, ctx) =>
        translatingErrors(async () => ({ user: userToProto(await app.setUserDisabled(req, true, callerOf(ctx, NO_PROXIES))) })),
      enableUser: (req, ctx) =>
        translatingErrors(async () => ({ user: userToProto(await app.setUserDisabled(req, false, callerOf(ctx, NO_PROXIES))) })),
      resetFactors: (req, ctx) => translatingErrors(() => app.resetFactors(req, callerOf(ctx, NO_PROXIES))),
      assessRegistrationRisk: (req, ctx) =>
        translatingErrors(async () => {
          const risk = await app.assessRegistrationRisk(req, callerOf(ctx, NO_PROXIES));
          return { decision: risk.decision, score: risk.score, reasons: risk.reasons, policyVersion: risk.policyVersion };
        }),
      listAuditEvents: (req) =>
        translatingErrors(async () => {
          const page = await app.listAuditEvents(req);
          return { events: page.events.map(auditEventToProto), nextPageToken: page.nextPageToken };
        }),
    });
}
