import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { translatingErrors } from "@flowshield/common/error-catalogue";
import {
  CreateUserResponseSchema,
  DeleteUserResponseSchema,
  GetUserResponseSchema,
  UserAdminService,
} from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { UserRepository } from "../app/dependencies";
import { createUser, deleteUser, getUser } from "../app/user-admin";
import { userToProto } from "./translate";

// UserAdminService on the internal listener, called by the registration saga.
export function userAdminServiceRoutes(users: UserRepository) {
  return (router: ConnectRouter) =>
    router.service(UserAdminService, {
      createUser: (req) =>
        translatingErrors(async () => create(CreateUserResponseSchema, { user: userToProto(await createUser(users, req)) })),
      getUser: (req) => translatingErrors(async () => create(GetUserResponseSchema, { user: userToProto(await getUser(users, req)) })),
      deleteUser: (req) =>
        translatingErrors(async () => {
          await deleteUser(users, req);
          return create(DeleteUserResponseSchema, {});
        }),
    });
}
