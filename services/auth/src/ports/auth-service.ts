import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { translatingErrors } from "@flowshield/common/error-catalogue";
import { AuthService, LoginResponseSchema, RegisterResponseSchema } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { login, type LoginDeps } from "../app/login";
import { register, type RegisterDeps } from "../app/register";
import { userToProto } from "./translate";

// AuthService on the public listener: parse, call the use case, translate.
export function authServiceRoutes(deps: RegisterDeps & LoginDeps) {
  return (router: ConnectRouter) =>
    router.service(AuthService, {
      register: (req, ctx) =>
        translatingErrors(async () => {
          const { user, workflowId } = await register(deps, req, ctx.signal);
          return create(RegisterResponseSchema, { user: userToProto(user), workflowId });
        }),

      login: (req) =>
        translatingErrors(async () => {
          const token = await login(deps, req);
          return create(LoginResponseSchema, { accessToken: token.accessToken, tokenType: "Bearer", expiresIn: BigInt(token.expiresIn) });
        }),
    });
}
