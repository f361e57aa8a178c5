import type { ConnectRouter } from "@connectrpc/connect";
import type { BlockList } from "node:net";
import { translatingErrors } from "@flowshield/common/error-catalogue";
import { AuthService, type LoginResponse } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { listAppGrants, revokeAppGrant } from "../../oauth/app/app-grants";
import type { AuthDeps } from "../app/dependencies";
import { resendVerificationEmail, verifyEmail } from "../../email-verification/app/email-verification";
import { login } from "../../sessions/app/login";
import { changePassword, requestPasswordReset, resetPassword } from "../../passwords/app/passwords";
import { register } from "../../registration/app/register";
import { listSessions, logout, refresh, revokeSession, signOutEverywhere, type TokenPair } from "../../sessions/app/sessions";
import { callerOf } from "./caller";
import { appGrantToProto, sessionToProto, userToProto } from "./translate";

function tokenPairToProto(pair: TokenPair): Omit<LoginResponse, "$typeName" | "$unknown"> {
  return {
    accessToken: pair.accessToken,
    tokenType: "Bearer",
    expiresIn: BigInt(pair.expiresIn),
    refreshToken: pair.refreshToken,
    refreshExpiresIn: BigInt(pair.refreshExpiresIn),
  };
}

// For the methods whose answer is empty.
const empty = (_done: void) => ({});

// AuthService on the public listener: parse, call the use case, translate. Bearer-token methods
// read the `authorization` header.
export function authServiceRoutes(deps: AuthDeps, trustedProxies: BlockList) {
  return (router: ConnectRouter) =>
    router.service(AuthService, {
      register: (req, ctx) =>
        translatingErrors(async () => {
          const { user, workflowId } = await register(deps, req, callerOf(ctx, trustedProxies), ctx.signal);
          return { user: userToProto(user), workflowId };
        }),
      login: (req, ctx) => translatingErrors(async () => tokenPairToProto(await login(deps, req, callerOf(ctx, trustedProxies)))),
      refreshToken: (req, ctx) => translatingErrors(async () => tokenPairToProto(await refresh(deps, req, callerOf(ctx, trustedProxies)))),
      logout: (req, ctx) => translatingErrors(async () => empty(await logout(deps, req, callerOf(ctx, trustedProxies)))),
      verifyEmail: (req, ctx) => translatingErrors(async () => empty(await verifyEmail(deps, req, callerOf(ctx, trustedProxies)))),
      resendVerificationEmail: (req, ctx) =>
        translatingErrors(async () => empty(await resendVerificationEmail(deps, req, callerOf(ctx, trustedProxies)))),
      listSessions: (_req, ctx) =>
        translatingErrors(async () => ({
          sessions: (await listSessions(deps, ctx.requestHeader.get("authorization"))).map(sessionToProto),
        })),
      signOutEverywhere: (_req, ctx) =>
        translatingErrors(async () =>
          empty(await signOutEverywhere(deps, ctx.requestHeader.get("authorization"), callerOf(ctx, trustedProxies))),
        ),
      listAppGrants: (_req, ctx) =>
        translatingErrors(async () => ({
          grants: (await listAppGrants(deps, ctx.requestHeader.get("authorization"))).map(appGrantToProto),
        })),
      revokeAppGrant: (req, ctx) =>
        translatingErrors(async () =>
          empty(await revokeAppGrant(deps, ctx.requestHeader.get("authorization"), req, callerOf(ctx, trustedProxies))),
        ),
      revokeSession: (req, ctx) =>
        translatingErrors(async () =>
          empty(await revokeSession(deps, ctx.requestHeader.get("authorization"), req, callerOf(ctx, trustedProxies))),
        ),
      requestPasswordReset: (req, ctx) =>
        translatingErrors(async () => empty(await requestPasswordReset(deps, req, callerOf(ctx, trustedProxies)))),
      resetPassword: (req, ctx) => translatingErrors(async () => empty(await resetPassword(deps, req, callerOf(ctx, trustedProxies)))),
      changePassword: (req, ctx) =>
        translatingErrors(async () =>
          empty(await changePassword(deps, ctx.requestHeader.get("authorization"), req, callerOf(ctx, trustedProxies))),
        ),
    });
}
