import { emptyNormal, learned, type Sighting } from "./account-normal";
import { distanceKm, type Network } from "./place";
import { DEFAULT_RISK_POLICY as policy, loginDecision, registrationDecision, riskPolicyFrom } from "./policy";
import { raisedBy, scoreOf } from "./score";
import { addressReasons, emailReasons, looksRandom, normalReasons } from "./signals";

const berlin: Network = {
  asn: 3320,
  hosting: false,
  place: { country: "DE", latitude: 52.52, longitude: 13.4 },
};
const potsdam: Network = { ...berlin, place: { country: "DE", latitude: 52.4, longitude: 13.06 } };
const melbourne: Network = { asn: 1221, hosting: false, place: { country: "AU", latitude: -37.9, longitude: 145.08 } };
const t0 = new Date("2026-12-07T08:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const seen = (network: Network, minutes: number, deviceKey = "laptop"): Sighting => ({ network, at: at(minutes), deviceKey });

// A month of weekday mornings in Berlin on one laptop.
const habitual = Array.from({ length: 20 }, (_, i) => seen(berlin, -i * 24 * 60)).reduceRight(learned, emptyNormal());

test("a returning user from home, on their laptop, at their usual hour: no reason, allowed", () => {
  const reasons = normalReasons(policy, habitual, seen(potsdam, 60));
  expect(reasons).toEqual([]);
  expect(loginDecision(policy, scoreOf(policy, reasons).score)).toBe("allow");
});

test("the same user from Melbourne an hour later: impossible travel, new country and network; step-up", () => {
  const reasons = normalReasons(policy, habitual, seen(melbourne, 60));
  expect(reasons.sort()).toEqual(["IMPOSSIBLE_TRAVEL", "NEW_COUNTRY", "NEW_NETWORK"]);
  expect(loginDecision(policy, scoreOf(policy, reasons).score)).toBe("step_up");
  // A day later the trip was possible: a notice, not a prompt.
  const dayLater = normalReasons(policy, habitual, seen(melbourne, 25 * 60));
  expect(dayLater.sort()).toEqual(["NEW_COUNTRY", "NEW_NETWORK"]);
  expect(loginDecision(policy, scoreOf(policy, dayLater).score)).toBe("notify");
});

test("a new device in the usual city: a notice, no prompt; once learned, nothing", () => {
  const reasons = normalReasons(policy, habitual, seen(berlin, 60, "phone"));
  expect(reasons).toEqual(["NEW_DEVICE"]);
  expect(loginDecision(policy, scoreOf(policy, reasons).score)).toBe("notify");
  expect(normalReasons(policy, learned(habitual, seen(berlin, 60, "phone")), seen(berlin, 24 * 60, "phone"))).toEqual([]);
});

test("an account with nothing learned has no normal to differ from; travel needs a place", () => {
  expect(normalReasons(policy, emptyNormal(), seen(melbourne, 0))).toEqual([]);
  const placeless = normalReasons(policy, habitual, { at: at(1), network: { hosting: false }, deviceKey: "laptop" });
  expect(placeless).toEqual([]);
});

test("an unusual hour only once the account has enough sign-ins, and ±1 hour counts as usual", () => {
  expect(normalReasons(policy, habitual, seen(berlin, 18 * 60))).toEqual(["UNUSUAL_HOUR"]);
  expect(normalReasons(policy, habitual, seen(berlin, 59))).toEqual([]);
  const few = Array.from({ length: 5 }, (_, i) => seen(berlin, -i * 1440)).reduceRight(learned, emptyNormal());
  expect(normalReasons(policy, few, seen(berlin, 18 * 60))).toEqual([]);
});

test("the normal stays bounded and forgets slowly", () => {
  let normal = emptyNormal();
  for (let i = 0; i < 1000; i++) normal = learned(normal, seen(berlin, i, `device-${i % 50}`));
  expect(Object.keys(normal.devices).length).toBeLessThanOrEqual(20);
  expect(normal.sightings).toBeLessThan(400);
  expect(normal.hours.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(normal.sightings + 24);
});

test("address reasons: a hosting network, and velocity at the policy's counts, not below", () => {
  const droplet: Network = { asn: 14061, hosting: true };
  expect(addressReasons(policy, droplet, {})).toEqual(["HOSTING_NETWORK"]);
  expect(addressReasons(policy, berlin, { loginFailuresPerNetwork: 99 })).toEqual([]);
  expect(addressReasons(policy, berlin, { loginFailuresPerNetwork: 100 })).toEqual(["VELOCITY"]);
  expect(addressReasons(policy, droplet, { registrationsPerNetwork: 19 })).toEqual(["HOSTING_NETWORK"]);
  expect(addressReasons(policy, droplet, { registrationsPerNetwork: 20 })).toEqual(["HOSTING_NETWORK", "VELOCITY"]);
  expect(loginDecision(policy, scoreOf(policy, ["VELOCITY"]).score)).toBe("refuse");
});

test("registrations: a disposable email verifies first; from a data centre it is held; with velocity refused", () => {
  const decide = (...r: Parameters<typeof scoreOf>[1]) => registrationDecision(policy, scoreOf(policy, r).score);
  expect(decide()).toBe("allow");
  expect(decide("PLUS_ADDRESSING", "RANDOM_LOCAL_PART")).toBe("allow");
  expect(decide("DISPOSABLE_EMAIL")).toBe("verify_first");
  expect(decide("DISPOSABLE_EMAIL", "HOSTING_NETWORK")).toBe("hold");
  expect(decide("DISPOSABLE_EMAIL", "HOSTING_NETWORK", "VELOCITY")).toBe("refuse");
});

test("email reasons", () => {
  expect(emailReasons("anna.berg1990@example.com", false)).toEqual([]);
  expect(emailReasons("anna+shop@example.com", false)).toEqual(["PLUS_ADDRESSING"]);
  expect(emailReasons("x7kq2m9zp4@mailinator.com", true)).toEqual(["DISPOSABLE_EMAIL", "RANDOM_LOCAL_PART"]);
  expect(["jt", "jean-luc.picard", "schwarzkopf", "o.brien.2001"].map(looksRandom)).toEqual([false, false, false, false]);
  expect(["qwrtzkpxv", "a1b2c3d4e5", "zx9vq3lk8w"].map(looksRandom)).toEqual([true, true, true]);
});

test("the score: reasons combine, repeat nothing, stay within 0–1; the external scorer only raises", () => {
  expect(scoreOf(policy, []).score).toBe(0);
  expect(scoreOf(policy, ["NEW_DEVICE", "NEW_DEVICE"])).toEqual({ score: 0.3, reasons: ["NEW_DEVICE"], policyVersion: policy.version });
  expect(scoreOf(policy, ["NEW_COUNTRY", "NEW_DEVICE"]).score).toBe(0.545);
  const base = scoreOf(policy, ["NEW_DEVICE"]);
  expect(raisedBy(base, 0.1)).toBe(base);
  expect(raisedBy(base, undefined)).toBe(base);
  expect(raisedBy(base, Number.NaN)).toBe(base);
  expect(raisedBy(base, 0.8)).toEqual({ score: 0.8, reasons: ["NEW_DEVICE", "EXTERNAL_SCORER"], policyVersion: policy.version });
  expect(raisedBy(base, 7).score).toBe(1);
});

test("distances", () => {
  expect(Math.round(distanceKm(berlin.place!, melbourne.place!))).toBeGreaterThan(15_000);
  expect(distanceKm(berlin.place!, berlin.place!)).toBe(0);
});

test("an operator's policy: the defaults with its fields, its own version, and refused when malformed", () => {
  const strict = riskPolicyFrom(JSON.stringify({ version: "strict-1", login: { step_up: 0.3 }, weights: { NEW_DEVICE: 0.65 } }));
  expect(strict.login).toEqual({ notify: 0.3, step_up: 0.3, refuse: 0.9 });
  expect(loginDecision(strict, scoreOf(strict, ["NEW_DEVICE"]).score)).toBe("step_up");
  for (const bad of [
    "{",
    "[]",
    "{}",
    JSON.stringify({ version: policy.version }),
    JSON.stringify({ version: "x", weights: { NOPE: 1 } }),
    JSON.stringify({ version: "x", login: { refuse: 2 } }),
    JSON.stringify({ version: "x", login: { notify: 0.8 } }),
    JSON.stringify({ version: "x", velocity: { registrationsPerAddress: 0 } }),
  ])
    expect(() => riskPolicyFrom(bad)).toThrow(/RISK_POLICY/);
});
