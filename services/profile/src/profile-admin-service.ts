import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import { translatingErrors } from "@flowshield/common/connect-errors";
import { AlreadyExistsError } from "@flowshield/common/errors";
import { checkDisplayName, checkUuid, normaliseUsername } from "@flowshield/common/validation";
import {
  CreateProfileResponseSchema,
  DeleteProfileResponseSchema,
  ProfileAdminService,
} from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import type { ProfileDatabase } from "./db/schema";
import { deleteProfileByUserId, findProfileByUserId, insertProfileIfAbsent } from "./db/profile-repository";
import { profileFromRow, profileToProto, profileToRow } from "./translate";

// The internal listener's profile administration, called by the registration saga. Every method
// is idempotent, because Temporal retries activities.
export function profileAdminServiceRoutes(db: Kysely<ProfileDatabase>) {
  return (router: ConnectRouter) =>
    router.service(ProfileAdminService, {
      createProfile: (req) =>
        translatingErrors(async () => {
          const userId = checkUuid(req.userId, "user_id");
          const username = normaliseUsername(req.username);
          const displayName = checkDisplayName(req.displayName);
          const now = new Date();
          const inserted = await insertProfileIfAbsent(
            db,
            profileToRow({ id: randomUUID(), userId, username, displayName, bio: "", createTime: now, updateTime: now }),
          );
          if (inserted !== undefined) {
            return create(CreateProfileResponseSchema, { profile: profileToProto(profileFromRow(inserted)) });
          }
          // Nothing inserted: this call ran before (answer as then), the user already has another
          // profile, or the username belongs to someone else.
          const existing = await findProfileByUserId(db, userId);
          if (existing !== undefined && existing.username === username) {
            return create(CreateProfileResponseSchema, { profile: profileToProto(profileFromRow(existing)) });
          }
          if (existing !== undefined) throw new AlreadyExistsError("user_id", "this user already has a profile");
          throw new AlreadyExistsError("username", "username is taken");
        }),

      deleteProfile: (req) =>
        translatingErrors(async () => {
          await deleteProfileByUserId(db, checkUuid(req.userId, "user_id"));
          return create(DeleteProfileResponseSchema, {});
        }),
    });
}
