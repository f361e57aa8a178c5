import { ValidationError } from "@flowshield/common/contract/validation";
import { checkNewPassword, checkPasswordLength, MAX_PASSWORD_BYTES } from "./password-policy";

function reasonOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    expect(err.field).toBe("password");
    return err.description;
  }
}

describe("password policy", () => {
  test("accepts 8 to 72 bytes that are not common", () => {
    expect(reasonOf(() => checkNewPassword("tr0ub4dor&3x"))).toBeUndefined();
    expect(reasonOf(() => checkNewPassword("x7".repeat(36)))).toBeUndefined();
  });

  test("counts UTF-8 bytes, not characters, and refuses past bcrypt's 72", () => {
    // 24 three-byte characters are 72 bytes; one more is 75.
    expect(reasonOf(() => checkNewPassword("€".repeat(24)))).toBeUndefined();
    expect(reasonOf(() => checkNewPassword("€".repeat(25)))).toBe(`must be at most ${MAX_PASSWORD_BYTES} bytes`);
    expect(reasonOf(() => checkNewPassword("a".repeat(73)))).toBe("must be at most 72 bytes");
  });

  test("refuses short, empty and common passwords", () => {
    expect(reasonOf(() => checkNewPassword("short1!"))).toBe("must be at least 8 bytes");
    expect(reasonOf(() => checkNewPassword(""))).toBe("is required");
    expect(reasonOf(() => checkNewPassword("password"))).toBe("is too common; choose another");
    expect(reasonOf(() => checkNewPassword("Password123"))).toMatch(/too common/);
  });

  test("login's length check refuses only empty and over-long passwords", () => {
    expect(reasonOf(() => checkPasswordLength("a"))).toBeUndefined();
    expect(reasonOf(() => checkPasswordLength("a".repeat(73)))).toBe("must be at most 72 bytes");
  });
});
