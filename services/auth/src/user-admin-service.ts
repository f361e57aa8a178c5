import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import { translatingErrors } from "@flowshield/common/connect-errors";
import { AlreadyExistsError, NotFoundError } from "@flowshield/common/errors";
import { checkUuid, normaliseEmail } from "@flowshield/common/validation";
import {
  CreateUserResponseSchema,
  DeleteUserResponseSchema,
  GetUserResponseSchema,
  UserAdminService,
} from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { AuthDatabase } from "./db/schema";
import { deleteUserById, findUserById, insertUserIfAbsent } from "./db/user-repository";
import { checkBcryptHash } from "./domain/bcrypt-hash";
import { userFromRow, userToProto, userToRow } from "./translate";

// The internal listener's user administration, called by the registration saga. Every method is
// idempotent, because Temporal retries activities.
export function userAdminServiceRoutes(db: Kysely<AuthDatabase>) {
  return (router: ConnectRouter) =>
    router.service(UserAdminService, {
      createUser: (req) =>
        translatingErrors(async () => {
          const id = checkUuid(req.id, "id");
          const email = normaliseEmail(req.email);
          const passwordHash = checkBcryptHash(req.passwordHash);
          const now = new Date();
          const inserted = await insertUserIfAbsent(
            db,
            userToRow({ id, email, passwordHash, status: "active", createTime: now, updateTime: now }),
          );
          if (inserted !== undefined) return create(CreateUserResponseSchema, { user: userToProto(userFromRow(inserted)) });
          // Nothing inserted: either this very call ran before (same id and email: answer as then),
          // or the email or the id belongs to someone else.
          const existing = await findUserById(db, id);
          if (existing !== undefined && existing.email === email) {
            return create(CreateUserResponseSchema, { user: userToProto(userFromRow(existing)) });
          }
          if (existing !== undefined) throw new AlreadyExistsError("id", "id is already taken by another user");
          throw new AlreadyExistsError("email", "email is already registered");
        }),

      getUser: (req) =>
        translatingErrors(async () => {
          const row = await findUserById(db, checkUuid(req.id, "id"));
          if (row === undefined) throw new NotFoundError("user");
          return create(GetUserResponseSchema, { user: userToProto(userFromRow(row)) });
        }),

      deleteUser: (req) =>
        translatingErrors(async () => {
          await deleteUserById(db, checkUuid(req.id, "id"));
          return create(DeleteUserResponseSchema, {});
        }),
    });
}
