// The benchmark's own correctness, on the real stack: its load counts only the registrations that
// succeeded, and its after-run check finds every half-made account. No timing is asserted.
import { randomUUID } from "node:crypto";
import bcrypt from "bcrypt";
import { BENCH_PASSWORD, registerCall } from "@flowshield/bench/calls";
import { runClosedLoop } from "@flowshield/bench/closed-loop";
import { checkPassed, checkRegistrations } from "@flowshield/bench/profile-check";
import { summarise } from "@flowshield/bench/samples";
import { uniqueSuffix } from "../support/env";
import { useFullStack } from "../support/stack";

jest.setTimeout(60_000);

const stack = useFullStack();

describe("benchmark load and check", () => {
  test("counts only successful registrations, and each of them has a user and a profile", async () => {
    const registered = new Set<string>();
    const register = registerCall(stack().authGrpc, uniqueSuffix().slice(0, 8), "t", registered);
    // Every third call is refused (a password the policy rejects): it must not count.
    const result = await runClosedLoop({
      concurrency: 3,
      warmupMs: 0,
      durationMs: 1_500,
      call: (n) =>
        n % 3 === 0
          ? stack().authGrpc.register({
              email: `weak-${randomUUID()}@bench.example`,
              password: "password",
              username: `w_${n}_${uniqueSuffix()}`.slice(0, 32),
              displayName: "W",
            })
          : register(n),
    });
    const summary = summarise(result.samples, result.elapsedMs);

    expect(summary.ok).toBeGreaterThan(0);
    expect(summary.failed).toBeGreaterThan(0);
    expect(Object.keys(summary.errors)).toEqual(["InvalidArgument"]);
    // Calls that ended outside the measured window are not samples, but their users exist.
    expect(summary.ok).toBeLessThanOrEqual(registered.size);

    const check = await checkRegistrations(stack().auth.db, stack().profile.db, registered);
    expect(check.registered).toBe(registered.size);
    expect(check.missingUsers).toEqual([]);
    expect(check.withoutProfile.filter((id) => registered.has(id))).toEqual([]);
  });

  test("the check reports a user without a profile and a registration that left no user", async () => {
    const halfMade = randomUUID();
    await stack().userAdmin.createUser({
      id: halfMade,
      email: `half-${uniqueSuffix()}@bench.example`,
      passwordHash: await bcrypt.hash(BENCH_PASSWORD, 4),
    });
    const neverMade = randomUUID();

    const check = await checkRegistrations(stack().auth.db, stack().profile.db, [halfMade, neverMade]);

    expect(check.withoutProfile).toContain(halfMade);
    expect(check.missingUsers).toEqual([neverMade]);
    expect(checkPassed(check)).toBe(false);
  });
});
