import type { Profile, ProfilePatch } from "../../domain/profile";
import type { NewProfileRow, ProfileRow, ProfileRowUpdate } from "./schema";

// Pure translators between the profiles table's rows and the domain.

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
