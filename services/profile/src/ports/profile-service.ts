import { bearerToken } from "@flowshield/common/contract/access-token";
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { translatingErrors } from "@flowshield/common/contract/error-catalogue";
import {
  GetProfileResponseSchema,
  ProfileService,
  UpdateProfileResponseSchema,
} from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import type { AccessTokenVerifier, ProfileRepository } from "../app/dependencies";
import { getProfile, updateProfile } from "../app/profiles";
import { profileToProto } from "./translate";

// ProfileService on the public listener: parse, call the use case, translate.
export function profileServiceRoutes(deps: { profiles: ProfileRepository; tokens: AccessTokenVerifier }) {
  return (router: ConnectRouter) =>
    router.service(ProfileService, {
      getProfile: (req) =>
        translatingErrors(async () =>
          create(GetProfileResponseSchema, { profile: profileToProto(await getProfile(deps.profiles, req.lookup)) }),
        ),

      updateProfile: (req, ctx) =>
        translatingErrors(async () => {
          const profile = await updateProfile(deps, {
            // Read before the request is looked at: an anonymous caller learns nothing.
            accessToken: bearerToken(ctx.requestHeader.get("authorization")),
            profile: req.profile,
            paths: req.updateMask?.paths ?? [],
          });
          return create(UpdateProfileResponseSchema, { profile: profileToProto(profile) });
        }),
    });
}
