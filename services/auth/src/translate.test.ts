import fc from "fast-check";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { UserStatus } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import type { User } from "./domain/user";
import { registeredUserToProto, statusFromProto, statusToProto, userFromRow, userToProto, userToRow } from "./translate";

const userArb = fc.record<User>({
  id: fc.uuid(),
  email: fc.emailAddress(),
  status: fc.constantFrom("pending", "active", "disabled"),
  passwordHash: fc.string(),
  createTime: fc.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true }),
  updateTime: fc.date({ min: new Date(0), max: new Date("2100-01-01"), noInvalidDate: true }),
});

describe("auth translators", () => {
  test("row -> domain -> row round-trips", () => {
    fc.assert(
      fc.property(userArb, (user) => {
        const row = userToRow(user);
        expect(userFromRow({ ...row, create_time: user.createTime, update_time: user.updateTime })).toEqual(user);
      }),
    );
  });

  test("status round-trips through proto, and UNSPECIFIED maps to nothing", () => {
    for (const status of ["pending", "active", "disabled"] as const) expect(statusFromProto(statusToProto(status))).toBe(status);
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

  test("a saga result becomes the same proto user as the domain user", () => {
    const user: User = { id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301", email: "a@b.co", status: "active", passwordHash: "h", createTime: new Date(1), updateTime: new Date(2) };
    const registered = { id: user.id, email: user.email, status: user.status, createTime: user.createTime.toISOString(), updateTime: user.updateTime.toISOString() };
    expect(registeredUserToProto(registered)).toEqual(userToProto(user));
  });
});
