import fc from "fast-check";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { changesToRow, profileFromRow, profileToRow } from "../adapters/db/profile-rows";
import type { Profile } from "../domain/profile";
import { profileToProto } from "./translate";

const dateArb = fc.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true });
const profileArb = fc.record<Profile>({
  id: fc.uuid(),
  userId: fc.uuid(),
  username: fc.stringMatching(/^[a-z0-9_]{3,32}$/),
  displayName: fc.string({ maxLength: 100 }),
  bio: fc.string({ maxLength: 500 }),
  createTime: dateArb,
  updateTime: dateArb,
});

describe("profile translators", () => {
  test("row -> domain -> row round-trips", () => {
    fc.assert(
      fc.property(profileArb, (profile) => {
        const row = profileToRow(profile);
        expect(profileFromRow({ ...row, bio: row.bio ?? "", create_time: profile.createTime, update_time: profile.updateTime })).toEqual(
          profile,
        );
      }),
    );
  });

  test("domain -> proto keeps every field", () => {
    fc.assert(
      fc.property(profileArb, (profile) => {
        const proto = profileToProto(profile);
        expect({ id: proto.id, userId: proto.userId, username: proto.username, displayName: proto.displayName, bio: proto.bio }).toEqual({
          id: profile.id,
          userId: profile.userId,
          username: profile.username,
          displayName: profile.displayName,
          bio: profile.bio,
        });
        expect(timestampDate(proto.createTime!).getTime()).toBe(profile.createTime.getTime());
        expect(timestampDate(proto.updateTime!).getTime()).toBe(profile.updateTime.getTime());
      }),
    );
  });

  test("changes become a row update holding only the changed columns", () => {
    const now = new Date(5);
    expect(changesToRow({ bio: "hi" }, now)).toEqual({ bio: "hi", update_time: now });
    expect(changesToRow({ displayName: "Ada", bio: "" }, now)).toEqual({ display_name: "Ada", bio: "", update_time: now });
  });
});
