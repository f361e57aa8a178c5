import { checkBio, checkDisplayName, ValidationError } from "@flowshield/common/contract/validation";

// The profile service's domain: a profile and the rules for changing one. No I/O.

export interface Profile {
  id: string;
  userId: string;
  // Stored lower-cased: usernames are unique without regard to case.
  username: string;
  displayName: string;
  bio: string;
  createTime: Date;
  updateTime: Date;
}

export type ProfilePatch = Pick<Profile, "displayName" | "bio">;

// The fields a user may change, by their proto names as a field mask carries them.
const UPDATABLE: Record<string, (patch: ProfilePatch) => Partial<ProfilePatch>> = {
  display_name: (patch) => ({ displayName: checkDisplayName(patch.displayName, "profile.display_name") }),
  bio: (patch) => ({ bio: checkBio(patch.bio, "profile.bio") }),
};

// Returns the changes the mask asks for, each checked. An empty mask, an unknown path or a path
// that may not change is refused rather than ignored, so a caller never believes a no-op worked.
export function changesFromMask(patch: ProfilePatch, paths: string[]): Partial<ProfilePatch> {
  if (paths.length === 0) throw new ValidationError("update_mask", "must name at least one of display_name, bio");
  let changes: Partial<ProfilePatch> = {};
  for (const path of paths) {
    const pick = UPDATABLE[path];
    if (pick === undefined) {
      throw new ValidationError("update_mask", `"${path}" cannot be updated; updatable fields are display_name, bio`);
    }
    changes = { ...changes, ...pick(patch) };
  }
  return changes;
}
