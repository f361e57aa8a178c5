import { envBool, envDuration, parseDuration } from "./config";

describe("configuration values", () => {
  test("durations: a unit or bare milliseconds; anything else is refused with the variable's name", () => {
    expect(parseDuration("24h")).toBe(86_400_000);
    expect(parseDuration("7d")).toBe(7 * 86_400_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("2500")).toBe(2_500);
    for (const bad of ["", "1.5h", "-1s", "ten seconds", "10 weeks"]) expect(parseDuration(bad)).toBeUndefined();
    process.env.TEST_DURATION = "soon";
    expect(() => envDuration("TEST_DURATION", 1)).toThrow(/TEST_DURATION must be a duration/);
    delete process.env.TEST_DURATION;
    expect(envDuration("TEST_DURATION", 42)).toBe(42);
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
      process.env.TEST_FLAG = raw;
      expect(envBool("TEST_FLAG", !value)).toBe(value);
    }
    process.env.TEST_FLAG = "maybe";
    expect(() => envBool("TEST_FLAG", true)).toThrow(/TEST_FLAG must be true or false/);
    delete process.env.TEST_FLAG;
    expect(envBool("TEST_FLAG", true)).toBe(true);
  });
});
