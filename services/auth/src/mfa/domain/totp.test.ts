import { acceptedTotpStep, newTotpSecret, totpCodeAt } from "./totp";
import { withMethod, withMethods } from "./factor";

const secret = newTotpSecret();
const now = new Date("2026-12-06T12:00:10Z");
const step = Math.floor(now.getTime() / 30_000);
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

test("a code of the step before, at or after now is accepted at its own step; two steps away is not", () => {
  expect([-30, 0, 30].map((s) => acceptedTotpStep(secret, totpCodeAt(secret, at(s)), now, undefined))).toEqual([step - 1, step, step + 1]);
  expect([-60, 60].map((s) => acceptedTotpStep(secret, totpCodeAt(secret, at(s)), now, undefined))).toEqual([undefined, undefined]);
});

test("a code of a step already accepted, or older, is not; malformed codes are not", () => {
  expect(acceptedTotpStep(secret, totpCodeAt(secret, now), now, step)).toBeUndefined();
  expect(acceptedTotpStep(secret, totpCodeAt(secret, at(-30)), now, step)).toBeUndefined();
  expect(acceptedTotpStep(secret, totpCodeAt(secret, at(30)), now, step)).toBe(step + 1);
  for (const code of ["", "12345", "1234567", "12a456", " 123456"]) expect(acceptedTotpStep(secret, code, now, undefined)).toBeUndefined();
});

test("amr: two kinds of method make mfa, a method proved again adds nothing, and nothing takes mfa away", () => {
  expect(withMethod(["pwd"], "otp")).toEqual(["pwd", "otp", "mfa"]);
  expect(withMethod(["pwd", "otp", "mfa"], "otp")).toEqual(["pwd", "otp", "mfa"]);
  expect(withMethod([], "hwk")).toEqual(["hwk"]);
  // A passwordless sign-in (a verified passkey) stepped up with the same passkey, or with a code.
  expect(withMethods(["hwk", "mfa"], ["hwk"])).toEqual(["hwk", "mfa"]);
  expect(withMethods([], ["swk", "mfa"])).toEqual(["swk", "mfa"]);
  expect(withMethods(["hwk", "mfa"], ["otp"])).toEqual(["hwk", "otp", "mfa"]);
});
