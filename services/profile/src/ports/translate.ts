import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ProfileSchema, type Profile as ProtoProfile } from "@flowshield/gen/flowshield/profile/v1/profile_pb";
import type { Profile } from "../domain/profile";

// Pure translator from the domain to proto messages.

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
