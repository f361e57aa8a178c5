import { fieldOf } from "../../../../test/support/validation";
import { changesFromMask } from "./profile";

const patch = { displayName: "  Ada Lovelace ", bio: "Analyst" };

describe("changesFromMask", () => {
  test("takes exactly the masked fields, checked and trimmed", () => {
    expect(changesFromMask(patch, ["bio"])).toEqual({ bio: "Analyst" });
    expect(changesFromMask(patch, ["display_name", "bio"])).toEqual({ displayName: "Ada Lovelace", bio: "Analyst" });
  });

  test("refuses an empty mask, unknown paths and fields that may not change", () => {
    expect(fieldOf(() => changesFromMask(patch, []))).toBe("update_mask");
    expect(fieldOf(() => changesFromMask(patch, ["username"]))).toBe("update_mask");
    expect(fieldOf(() => changesFromMask(patch, ["user_id"]))).toBe("update_mask");
    expect(fieldOf(() => changesFromMask(patch, ["nonsense"]))).toBe("update_mask");
  });

  test("names the offending field when a value breaks a rule", () => {
    expect(fieldOf(() => changesFromMask({ displayName: "x".repeat(101), bio: "" }, ["display_name"]))).toBe("profile.display_name");
    expect(fieldOf(() => changesFromMask({ displayName: "", bio: "x".repeat(501) }, ["bio"]))).toBe("profile.bio");
  });
});
