import { envBool, envDuration, parseDuration } from "./config";

// Runs `body` with one of the documented variables set (or unset), then puts it back.
function withEnv(name: string, value: string | undefined, body: () => void): void {
  const before = process.env[name];
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  try {
    body();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

describe("configuration values", () => {
  test("durations: a unit or bare milliseconds; anything else is refused with the variable's name", () => {
    expect(parseDuration("24h")).toBe(86_400_000);
    expect(parseDuration("7d")).toBe(7 * 86_400_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("2500")).toBe(2_500);
    for (const bad of ["", "1.5h", "-1s", "ten seconds", "10 weeks"]) expect(parseDuration(bad)).toBeUndefined();
    withEnv("EMAIL_VERIFY_TTL", "soon", () => {
      expect(() => envDuration("EMAIL_VERIFY_TTL", 1)).toThrow(/EMAIL_VERIFY_TTL must be a duration/);
    });
    withEnv("EMAIL_VERIFY_TTL", undefined, () => expect(envDuration("EMAIL_VERIFY_TTL", 42)).toBe(42));
  });

  test("booleans: true/false, yes/no, on/off, 1/0; anything else is refused", () => {
    for (const [raw, value] of [
      ["true", true],
      ["ON", true],
      ["1", true],
      ["no", false],
      ["off", false],
      ["0", false],
    ] as const) {
      withEnv("REQUIRE_VERIFIED_EMAIL", raw, () => expect(envBool("REQUIRE_VERIFIED_EMAIL", !value)).toBe(value));
    }
    withEnv("REQUIRE_VERIFIED_EMAIL", "maybe", () => {
      expect(() => envBool("REQUIRE_VERIFIED_EMAIL", true)).toThrow(/REQUIRE_VERIFIED_EMAIL must be true or false/);
    });
    withEnv("REQUIRE_VERIFIED_EMAIL", undefined, () => expect(envBool("REQUIRE_VERIFIED_EMAIL", true)).toBe(true));
  });
});
