import { randomUUID } from "node:crypto";
import { AlreadyExistsError, NotFoundError, PermissionDeniedError } from "@flowshield/common/contract/errors";
import { checkDisplayName, checkUuid, normaliseUsername, ValidationError } from "@flowshield/common/contract/validation";
import { changesFromMask, type Profile, type ProfilePatch } from "../domain/profile";
import type { AccessTokenVerifier, ProfileRepository } from "./dependencies";

// The profile service's use cases: reading and changing profiles (public) and the registration
// saga's steps (internal, idempotent because Temporal retries activities).

export type ProfileLookup =
  { case: "userId"; value: string } | { case: "username"; value: string } | { case: undefined; value?: undefined };

export async function getProfile(profiles: ProfileRepository, lookup: ProfileLookup): Promise<Profile> {
  let found: Profile | undefined;
  if (lookup.case === "userId") found = await profiles.findByUserId(checkUuid(lookup.value, "user_id"));
  else if (lookup.case === "username") found = await profiles.findByUsername(normaliseUsername(lookup.value));
  else throw new ValidationError("lookup", "give user_id or username");
  if (found === undefined) throw new NotFoundError("profile");
  return found;
}

export interface UpdateProfileRequest {
  // The caller's access token: it must belong to the profile's user.
  accessToken: string;
  profile: (ProfilePatch & { userId: string }) | undefined;
  paths: string[];
}

export async function updateProfile(
  deps: { profiles: ProfileRepository; tokens: AccessTokenVerifier },
  req: UpdateProfileRequest,
): Promise<Profile> {
  // Authenticate before looking at the request, so an anonymous caller learns nothing.
  const callerId = await deps.tokens.verify(req.accessToken);
  if (req.profile === undefined) throw new ValidationError("profile", "is required");
  const userId = checkUuid(req.profile.userId, "profile.user_id");
  if (userId !== callerId) throw new PermissionDeniedError("NOT_PROFILE_OWNER", "a profile can be updated only by its own user");
  const updated = await deps.profiles.updateByUserId(userId, changesFromMask(req.profile, req.paths), new Date());
  if (updated === undefined) throw new NotFoundError("profile");
  return updated;
}

export async function createProfile(
  profiles: ProfileRepository,
  req: { userId: string; username: string; displayName: string },
): Promise<Profile> {
  const userId = checkUuid(req.userId, "user_id");
  const username = normaliseUsername(req.username);
  const displayName = checkDisplayName(req.displayName);
  const now = new Date();
  const inserted = await profiles.insertIfAbsent({
    id: randomUUID(),
    userId,
    username,
    displayName,
    bio: "",
    createTime: now,
    updateTime: now,
  });
  if (inserted !== undefined) return inserted;
  // Nothing inserted: this call ran before (answer as then), the user already has another
  // profile, or the username belongs to someone else.
  const existing = await profiles.findByUserId(userId);
  if (existing !== undefined && existing.username === username) return existing;
  if (existing !== undefined) throw new AlreadyExistsError("user_id", "USER_HAS_PROFILE", "this user already has a profile");
  throw new AlreadyExistsError("username", "USERNAME_TAKEN", "username is taken");
}

// Compensation and clean-up: succeeds when the profile is already gone.
export async function deleteProfile(profiles: ProfileRepository, req: { userId: string }): Promise<void> {
  await profiles.deleteByUserId(checkUuid(req.userId, "user_id"));
}
