import { mannWhitneyP } from "./statistics";

// The enumeration test's statistic, checked on samples whose answer is known.
test("Mann-Whitney: one distribution is not told apart; shifted ones are", () => {
  const same = Array.from({ length: 50 }, (_, i) => (i * 7919) % 101);
  expect(mannWhitneyP(same, [...same].reverse())).toBeGreaterThan(0.9);
  const slower = same.map((v) => v + 40);
  expect(mannWhitneyP(same, slower)).toBeLessThan(0.001);
  // By hand: ranks of [1,2,3,4] among [0,5,6,7,8] are 2..5, U = 14 - 10 = 4, z = (4 - 10) / √(200/12)
  // ≈ -1.470, p = 2(1 - Φ(1.470)) ≈ 0.1416.
  expect(mannWhitneyP([1, 2, 3, 4], [5, 6, 7, 8, 0])).toBeCloseTo(0.1416, 3);
});
