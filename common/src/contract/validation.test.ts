import fc from "fast-check";
import { fieldOf } from "../../../test/support/validation";
import { checkBio, checkDisplayName, checkUuid, normaliseEmail, normaliseUsername } from "./validation";

describe("normaliseEmail", () => {
  test("trims and lower-cases", () => {
    expect(normaliseEmail("  Ada.Lovelace@Example.COM ")).toBe("ada.lovelace@example.com");
  });

  test.each([
    "",
    "   ",
    "ada",
    "ada@",
    "@example.com",
    "ada@example",
    "a da@example.com",
    "ada@@example.com",
    // Address-list syntax: a mailer would read these as other or several recipients.
    "ada@example.com,eve@evil.example",
    "ada@example.com,eve",
    "team:eve@evil.example;",
    "<eve@evil.example>",
    '"ada,eve"@example.com',
    "ada@example.com(eve@evil.example)",
    "ada@example.com;eve",
    "ada..lovelace@example.com",
    "ada@-example.com",
  ])("refuses %p", (raw) => {
    expect(fieldOf(() => normaliseEmail(raw))).toBe("email");
  });

  test("refuses more than 254 characters", () => {
    expect(fieldOf(() => normaliseEmail(`${"a".repeat(250)}@example.com`))).toBe("email");
  });

  test("takes internationalised addresses", () => {
    expect(normaliseEmail("Ärger@Bücher.example")).toBe("ärger@bücher.example");
  });

  test("is idempotent", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const once = normaliseEmail(email);
        expect(normaliseEmail(once)).toBe(once);
      }),
    );
  });
});

describe("normaliseUsername", () => {
  test("lower-cases, so names differing only by case are one name", () => {
    expect(normaliseUsername("Ada_L")).toBe(normaliseUsername("ada_l"));
  });

  test.each(["ab", "a".repeat(33), "ada-l", "ada l", "adá", ""])("refuses %p", (raw) => {
    expect(fieldOf(() => normaliseUsername(raw))).toBe("username");
  });

  test("accepts 3 and 32 characters", () => {
    expect(normaliseUsername("abc")).toBe("abc");
    expect(normaliseUsername("a".repeat(32))).toBe("a".repeat(32));
  });
});

describe("display name and bio", () => {
  test("count characters, not UTF-16 units", () => {
    expect(checkDisplayName("😀".repeat(100))).toBe("😀".repeat(100));
    expect(fieldOf(() => checkDisplayName("😀".repeat(101)))).toBe("display_name");
    expect(checkBio("é".repeat(500))).toHaveLength(500);
    expect(fieldOf(() => checkBio("x".repeat(501)))).toBe("bio");
  });
});

describe("checkUuid", () => {
  test("accepts a UUID in any case and refuses anything else", () => {
    expect(checkUuid("3F2504E0-4F89-41D3-9A0C-0305E82C3301", "id")).toBe("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    expect(fieldOf(() => checkUuid("not-a-uuid", "user_id"))).toBe("user_id");
    expect(fieldOf(() => checkUuid("", "user_id"))).toBe("user_id");
  });
});
