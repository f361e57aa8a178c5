import type { RunningAuthService } from "@flowshield/auth/server";
import { startCountingAuth } from "../support/counting-hasher";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { Code } from "../support/codes";
import { useFullStack } from "../support/stack";
import { attackerOf, freshIpv4, freshIpv6Prefix, from, outcome, tally } from "./attacker";

// Password guessing the way an attacker does it: all at once, from one address, from a whole IPv6
// /64, from hundreds of addresses. What is counted is the bcrypt comparisons the attacker got.
// On the main of 2026-12-05 (limits read before bcrypt, written after it) every one of these
// failed: 200 concurrent guesses were 200 comparisons.

jest.setTimeout(120_000);

const stack = useFullStack();

let auth: RunningAuthService;
let compares: () => number;
beforeAll(async () => {
  ({ auth, compares } = await startCountingAuth({
    taskQueue: stack().taskQueue,
    trustedProxies: "127.0.0.1, ::1",
    loginFailuresPerIp: 100,
  }));
});
afterAll(async () => {
  await auth?.close();
});

async function victim(): Promise<string> {
  const email = uniqueEmail();
  await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Victim" });
  return email;
}

// Bursts of `size` concurrent guesses, each from the address `address(i)` gives, until a guess
// from `probe` is refused as locked out; then the right password from there, which must be too.
async function burstUntilLocked(email: string, size: number, address: (i: number) => string, probe: string) {
  const attacker = attackerOf(auth.publicUrl);
  const outcomes = [];
  for (let burst = 0; burst < 20; burst++) {
    outcomes.push(
      ...(await Promise.all(
        Array.from({ length: size }, (_, i) => outcome(attacker.login({ email, password: `guess ${burst}-${i}` }, from(address(i))))),
      )),
    );
    const probed = await outcome(attacker.login({ email, password: `probe ${burst}` }, from(probe)));
    outcomes.push(probed);
    if (probed.code === Code.ResourceExhausted && probed.reason === "TOO_MANY_LOGIN_FAILURES") {
      return { outcomes, locked: await outcome(attacker.login({ email, password: GOOD_PASSWORD }, from(probe))) };
    }
  }
  throw new Error("never locked");
}

test("200 concurrent wrong passwords from one address get 10 bcrypt checks, then the pair is locked", async () => {
  const email = await victim();
  const ip = freshIpv4();
  const before = compares();
  const { outcomes, locked } = await burstUntilLocked(email, 200, () => ip, ip);
  // Exactly the lockout's number of checks: each was a wrong password that kept its point.
  expect(compares() - before).toBe(10);
  const counts = tally(outcomes);
  expect(counts.Unauthenticated).toBe(10);
  // Everything else was refused before bcrypt: by the account's lane in the bcrypt queue, or by
  // the limits once it was its turn — never answered as a checked password.
  expect((counts.ResourceExhausted ?? 0) + 10).toBe(outcomes.length);
  expect(locked).toMatchObject({ code: Code.ResourceExhausted, reason: "TOO_MANY_LOGIN_FAILURES" });
  expect(locked.retryAfterSeconds).toBeGreaterThan(14 * 60);
});

test("guesses from every address of one IPv6 /64 count as one client", async () => {
  const email = await victim();
  const prefix = freshIpv6Prefix();
  const rotating = (i: number) => `${prefix}:${(i + 1).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}::1`;
  const before = compares();
  const { outcomes, locked } = await burstUntilLocked(email, 60, rotating, `${prefix}::abcd`);
  expect(compares() - before).toBe(10);
  expect(tally(outcomes).Unauthenticated).toBe(10);
  expect(locked).toMatchObject({ code: Code.ResourceExhausted, reason: "TOO_MANY_LOGIN_FAILURES" });
});

test("300 concurrent guesses from 300 addresses: at most the account's 100 checks, and the owner still signs in where they always do", async () => {
  const email = await victim();
  const attacker = attackerOf(auth.publicUrl);
  // The owner has signed in from home before.
  const home = freshIpv4();
  expect(await outcome(attacker.login({ email, password: GOOD_PASSWORD }, from(home)))).toEqual({ code: "ok" });

  const before = compares();
  const outcomes: Awaited<ReturnType<typeof outcome>>[] = [];
  for (let burst = 0; burst < 3; burst++) {
    const addresses = Array.from({ length: 300 }, () => freshIpv4());
    outcomes.push(
      ...(await Promise.all(addresses.map((ip, i) => outcome(attacker.login({ email, password: `spray ${burst}-${i}` }, from(ip)))))),
    );
  }
  const checked = compares() - before;
  expect(checked).toBeLessThanOrEqual(100);
  expect(tally(outcomes).Unauthenticated).toBe(checked);
  expect(tally(outcomes).ResourceExhausted).toBe(900 - checked);

  // Keep going until the account's hourly budget is spent (a lane admits four at a time).
  for (
    let i = 0;
    i < 200 && (await outcome(attacker.login({ email, password: `slow ${i}` }, from(freshIpv4())))).code !== Code.ResourceExhausted;
    i++
  );
  for (let i = 0; i < 5; i++) await outcome(attacker.login({ email, password: `more ${i}` }, from(freshIpv4())));
  expect(compares() - before).toBeLessThanOrEqual(100);
  // A new address is refused for this account now...
  expect(await outcome(attacker.login({ email, password: GOOD_PASSWORD }, from(freshIpv4())))).toMatchObject({
    code: Code.ResourceExhausted,
    reason: "TOO_MANY_LOGIN_FAILURES",
  });
  // ...but the strangers did not lock the owner out of home.
  expect(await outcome(attacker.login({ email, password: GOOD_PASSWORD }, from(home)))).toEqual({ code: "ok" });
});

test("a flood of wrong passwords for one account does not refuse other users' sign-ins", async () => {
  const target = await victim();
  const others = await Promise.all(Array.from({ length: 10 }, () => victim()));
  const attacker = attackerOf(auth.publicUrl);
  const before = compares();
  const flood = Promise.all(
    Array.from({ length: 300 }, (_, i) => outcome(attacker.login({ email: target, password: `flood ${i}` }, from(freshIpv4())))),
  );
  // Ten other users sign in, one each, while the flood is on.
  const theirs = await Promise.all(others.map((email) => outcome(attacker.login({ email, password: GOOD_PASSWORD }, from(freshIpv4())))));
  const flooded = await flood;
  expect(tally(theirs)).toEqual({ ok: 10 });
  // The flood got at most the account's hourly budget of checks from unknown addresses (the
  // account's lane admits them a few at a time, the refused answered a second later); the rest were
  // turned away before bcrypt.
  const checked = compares() - before - 10;
  expect(checked).toBeLessThanOrEqual(100);
  expect(tally(flooded)).toEqual({ Unauthenticated: checked, ResourceExhausted: 300 - checked });
});
