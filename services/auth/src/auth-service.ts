import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import { translatingErrors } from "@flowshield/common/connect-errors";
import { normaliseEmail } from "@flowshield/common/validation";
import {
  AuthService,
  LoginResponseSchema,
  RegisterResponseSchema,
} from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { issueAccessToken, type TokenSettings } from "./access-tokens";
import type { AuthDatabase } from "./db/schema";
import { findUserByEmail } from "./db/user-repository";
import { checkPasswordLength } from "./domain/password-policy";
import { validateRegistration } from "./domain/registration";
import { canSignIn } from "./domain/user";
import type { PasswordHasher } from "./password-hasher";
import type { RegistrationStarter } from "./registration-starter";
import type { SigningKey } from "./signing-keys";
import { registeredUserToProto, userFromRow } from "./translate";

export interface AuthServiceDeps {
  db: Kysely<AuthDatabase>;
  hasher: PasswordHasher;
  signingKey: SigningKey;
  tokens: TokenSettings;
  registration: RegistrationStarter;
}

// One message for an unknown email and a wrong password, so Login does not reveal who has an account.
const WRONG_CREDENTIALS = "wrong email or password";

export function authServiceRoutes(deps: AuthServiceDeps) {
  return (router: ConnectRouter) =>
    router.service(AuthService, {
      register: (req, ctx) =>
        translatingErrors(async () => {
          const valid = validateRegistration(req);
          const passwordHash = await deps.hasher.hash(valid.password);
          const { result, workflowId } = await deps.registration.register(
            { email: valid.email, passwordHash, username: valid.username, displayName: valid.displayName },
            ctx.signal,
          );
          return create(RegisterResponseSchema, { user: registeredUserToProto(result.user), workflowId });
        }),

      login: (req) =>
        translatingErrors(async () => {
          const email = normaliseEmail(req.email);
          checkPasswordLength(req.password);
          const row = await findUserByEmail(deps.db, email);
          const user = row === undefined ? undefined : userFromRow(row);
          const matched = await deps.hasher.verify(req.password, user?.passwordHash);
          if (user === undefined || !matched || !canSignIn(user)) {
            throw new ConnectError(WRONG_CREDENTIALS, Code.Unauthenticated);
          }
          const token = await issueAccessToken(deps.signingKey, deps.tokens, user.id);
          return create(LoginResponseSchema, {
            accessToken: token.accessToken,
            tokenType: "Bearer",
            expiresIn: BigInt(token.expiresIn),
          });
        }),
    });
}
