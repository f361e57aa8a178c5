import fc from "fast-check";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { UserStatus } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import { userFromRow, userToRow } from "../adapters/db/user-rows";
import { USER_STATUSES, type User } from "../domain/user";
import { statusFromProto, statusToProto, userToProto } from "./translate";

const date = fc.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true });
const userArb: fc.Arbitrary<User> = fc.record(
  {
    id: fc.uuid(),
    email: fc.emailAddress(),
    status: fc.constantFrom(...USER_STATUSES),
    passwordHash: fc.string(),
    createTime: date,
    updateTime: date,
    emailVerified: fc.boolean(),
    emailVerifyTime: date,
  },
  { requiredKeys: ["id", "email", "status", "passwordHash", "createTime", "updateTime", "emailVerified"] },
);

describe("auth translators", () => {
  test("domain -> row -> domain round-trips", () => {
    fc.assert(
      fc.property(userArb, (user) => {
        const row = userToRow(user);
        expect(
          userFromRow({
            ...row,
            create_time: user.createTime,
            update_time: user.updateTime,
            email_verified: user.emailVerified,
            email_verify_time: user.emailVerifyTime ?? null,
            verify_first: user.verifyFirst ?? false,
          }),
        ).toEqual(user);
      }),
    );
  });

  test("every status round-trips through proto to a distinct value, and UNSPECIFIED maps to nothing", () => {
    for (const status of USER_STATUSES) expect(statusFromProto(statusToProto(status))).toBe(status);
    expect(new Set(USER_STATUSES.map(statusToProto)).size).toBe(USER_STATUSES.length);
    expect(statusFromProto(UserStatus.UNSPECIFIED)).toBeUndefined();
  });

  test("the proto user keeps times to the millisecond and never carries the hash", () => {
    fc.assert(
      fc.property(userArb, (user) => {
        const proto = userToProto(user);
        expect(proto.id).toBe(user.id);
        expect(timestampDate(proto.createTime!).getTime()).toBe(user.createTime.getTime());
        expect(timestampDate(proto.updateTime!).getTime()).toBe(user.updateTime.getTime());
        expect(JSON.stringify(proto, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain("passwordHash");
      }),
    );
  });
});
