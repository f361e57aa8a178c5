import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import { translatingErrors } from "@flowshield/common/connect-errors";
import { NotFoundError, PermissionDeniedError } from "@flowshield/common/errors";
import { checkUuid, normaliseUsername, ValidationError } from "@flowshield/common/validation";
import {
  GetProfileResponseSchema,
  ProfileService,
  UpdateProfileResponseSchema,
  type GetProfileRequest,
} from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import type { AccessTokenVerifier } from "./access-token-verifier";
import type { ProfileDatabase, ProfileRow } from "./db/schema";
import { findProfileByUserId, findProfileByUsername, updateProfileByUserId } from "./db/profile-repository";
import { changesFromMask } from "./domain/profile";
import { changesToRow, profileFromRow, profileToProto } from "./translate";

function findByLookup(db: Kysely<ProfileDatabase>, lookup: GetProfileRequest["lookup"]): Promise<ProfileRow | undefined> {
  switch (lookup.case) {
    case "userId":
      return findProfileByUserId(db, checkUuid(lookup.value, "user_id"));
    case "username":
      return findProfileByUsername(db, normaliseUsername(lookup.value));
    default:
      throw new ValidationError("lookup", "give user_id or username");
  }
}

export function profileServiceRoutes(db: Kysely<ProfileDatabase>, tokens: AccessTokenVerifier) {
  return (router: ConnectRouter) =>
    router.service(ProfileService, {
      getProfile: (req) =>
        translatingErrors(async () => {
          const row = await findByLookup(db, req.lookup);
          if (row === undefined) throw new NotFoundError("profile");
          return create(GetProfileResponseSchema, { profile: profileToProto(profileFromRow(row)) });
        }),

      updateProfile: (req, ctx) =>
        translatingErrors(async () => {
          // Authenticate before looking at the request, so an anonymous caller learns nothing.
          const callerId = await tokens.verify(ctx.requestHeader.get("authorization"));
          if (req.profile === undefined) throw new ValidationError("profile", "is required");
          const userId = checkUuid(req.profile.userId, "profile.user_id");
          if (userId !== callerId) throw new PermissionDeniedError("a profile can be updated only by its own user");
          const changes = changesFromMask(req.profile, req.updateMask?.paths ?? []);
          const row = await updateProfileByUserId(db, userId, changesToRow(changes, new Date()));
          if (row === undefined) throw new NotFoundError("profile");
          return create(UpdateProfileResponseSchema, { profile: profileToProto(profileFromRow(row)) });
        }),
    });
}

