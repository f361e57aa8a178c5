import type { ConnectRouter, HandlerContext } from "@connectrpc/connect";
import type { BlockList } from "node:net";
import { bearerToken } from "@flowshield/common/contract/access-token";
import { translatingErrors } from "@flowshield/common/contract/error-catalogue";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import type { AuthApplication } from "../app/application";
import { secondFactorMethods } from "../../mfa/ports/auth-service-methods";
import { challengeToProto } from "../../mfa/ports/translate";
import { callerOf } from "./caller";
import { tokenPairToProto } from "./token-pair";
import { appGrantToProto, sessionToProto, userToProto } from "./translate";

// For the methods whose answer is empty.
const empty = (_done: void) => ({});

// The access token of a bearer-token method (`authorization: Bearer <token>`), or UNAUTHENTICATED.
const accessTokenOf = (ctx: HandlerContext) => bearerToken(ctx.requestHeader.get("authorization"));

// AuthService on the public listener: parse, call the use case, translate.
export function authServiceRoutes(app: AuthApplication, trustedProxies: BlockList) {
  const caller = (ctx: HandlerContext) => callerOf(ctx, trustedProxies);
  return (router: ConnectRouter) =>
    router.service(AuthService, {
      register: (req, ctx) =>
        translatingErrors(async () => {
          const { user, workflowId } = await app.register(req, caller(ctx), ctx.signal);
          return { user: userToProto(user), workflowId };
        }),
      login: (req, ctx) =>
        translatingErrors(async () => {
          const outcome = await app.login(req, caller(ctx));
          return "tokens" in outcome ? tokenPairToProto(outcome.tokens) : { mfaChallenge: challengeToProto(outcome.challenge) };
        }),
      refreshToken: (req, ctx) => translatingErrors(async () => tokenPairToProto(await app.refresh(req, caller(ctx)))),
      logout: (req, ctx) => translatingErrors(async () => empty(await app.logout(req, caller(ctx)))),
      verifyEmail: (req, ctx) => translatingErrors(async () => empty(await app.verifyEmail(req, caller(ctx)))),
      resendVerificationEmail: (req, ctx) => translatingErrors(async () => empty(await app.resendVerificationEmail(req, caller(ctx)))),
      listSessions: (_req, ctx) =>
        translatingErrors(async () => ({ sessions: (await app.listSessions(accessTokenOf(ctx))).map(sessionToProto) })),
      signOutEverywhere: (_req, ctx) => translatingErrors(async () => empty(await app.signOutEverywhere(accessTokenOf(ctx), caller(ctx)))),
      listAppGrants: (_req, ctx) =>
        translatingErrors(async () => ({ grants: (await app.listAppGrants(accessTokenOf(ctx))).map(appGrantToProto) })),
      revokeAppGrant: (req, ctx) => translatingErrors(async () => empty(await app.revokeAppGrant(accessTokenOf(ctx), req, caller(ctx)))),
      revokeSession: (req, ctx) => translatingErrors(async () => empty(await app.revokeSession(accessTokenOf(ctx), req, caller(ctx)))),
      requestPasswordReset: (req, ctx) => translatingErrors(async () => empty(await app.requestPasswordReset(req, caller(ctx)))),
      resetPassword: (req, ctx) => translatingErrors(async () => empty(await app.resetPassword(req, caller(ctx)))),
      changePassword: (req, ctx) => translatingErrors(async () => empty(await app.changePassword(accessTokenOf(ctx), req, caller(ctx)))),
      ...secondFactorMethods(app, caller, accessTokenOf),
    });
}
