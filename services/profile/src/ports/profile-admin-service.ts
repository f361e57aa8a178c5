import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { translatingErrors } from "@flowshield/common/contract/error-catalogue";
import {
  CreateProfileResponseSchema,
  DeleteProfileResponseSchema,
  ProfileAdminService,
} from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import type { ProfileRepository } from "../app/dependencies";
import { createProfile, deleteProfile } from "../app/profiles";
import { profileToProto } from "./translate";

// ProfileAdminService on the internal listener, called by the registration saga.
export function profileAdminServiceRoutes(profiles: ProfileRepository) {
  return (router: ConnectRouter) =>
    router.service(ProfileAdminService, {
      createProfile: (req) =>
        translatingErrors(async () => create(CreateProfileResponseSchema, { profile: profileToProto(await createProfile(profiles, req)) })),
      deleteProfile: (req) =>
        translatingErrors(async () => {
          await deleteProfile(profiles, req);
          return create(DeleteProfileResponseSchema, {});
        }),
    });
}
