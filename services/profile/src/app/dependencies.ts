import type { Profile, ProfilePatch } from "../domain/profile";

// What the profile service's use cases need from the world; adapters/ implements it.

export interface ProfileRepository {
  findByUserId(userId: string): Promise<Profile | undefined>;
  findByUsername(username: string): Promise<Profile | undefined>;
  // Inserts unless the user already has a profile or the username is taken; the new profile, or undefined.
  insertIfAbsent(profile: Profile): Promise<Profile | undefined>;
  // The updated profile, or undefined when the user has none.
  updateByUserId(userId: string, changes: Partial<ProfilePatch>, now: Date): Promise<Profile | undefined>;
  deleteByUserId(userId: string): Promise<boolean>;
}

export interface AccessTokenVerifier {
  // The user id (sub) of a valid access token, or UNAUTHENTICATED.
  verify(accessToken: string): Promise<string>;
}
