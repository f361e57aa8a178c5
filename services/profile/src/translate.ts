import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ProfileSchema, type Profile as ProtoProfile } from "@flowshield/gen/flowshield/profile/v1/profile_pb";
import type { NewProfileRow, ProfileRow, ProfileRowUpdate } from "./db/schema";
import type { Profile, ProfilePatch } from "./domain/profile";

// Pure translators between database rows, the domain and proto messages.

export function profileFromRow(row: ProfileRow): Profile {
  return {
    id: row.id,
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    bio: row.bio,
    createTime: row.create_time,
    updateTime: row.update_time,
  };
}

export function profileToRow(profile: Profile): NewProfileRow {
  return {
    id: profile.id,
    user_id: profile.userId,
    username: profile.username,
    display_name: profile.displayName,
    bio: profile.bio,
    create_time: profile.createTime,
    update_time: profile.updateTime,
  };
}

export function changesToRow(changes: Partial<ProfilePatch>, now: Date): ProfileRowUpdate {
  return {
    ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
    ...(changes.bio !== undefined ? { bio: changes.bio } : {}),
    update_time: now,
  };
}

export function profileToProto(profile: Profile): ProtoProfile {
  return create(ProfileSchema, {
    id: profile.id,
    userId: profile.userId,
    username: profile.username,
    displayName: profile.displayName,
    bio: profile.bio,
    createTime: timestampFromDate(profile.createTime),
    updateTime: timestampFromDate(profile.updateTime),
  });
}
