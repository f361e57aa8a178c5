import { samplesOf } from "./ghz";
import { percentile, summarise } from "./samples";

describe("summarise", () => {
  test("counts only successful calls towards the rate and the latencies", () => {
    const samples = [
      { ok: true, ms: 10 },
      { ok: false, ms: 1, error: "Unavailable" },
      { ok: true, ms: 30 },
      { ok: false, ms: 2, error: "Unavailable" },
      { ok: false, ms: 500, error: "InvalidArgument" },
      { ok: true, ms: 20 },
    ];
    const s = summarise(samples, 2_000);
    expect(s.ok).toBe(3);
    expect(s.failed).toBe(3);
    expect(s.perSecond).toBe(1.5);
    // The fast failures (1 and 2 ms) and the slow one (500 ms) are not latencies of the service.
    expect(s.p50Ms).toBe(20);
    expect(s.p99Ms).toBe(30);
    expect(s.errors).toEqual({ Unavailable: 2, InvalidArgument: 1 });
  });

  test("a phase where nothing succeeded has no rate and no latency", () => {
    const s = summarise([{ ok: false, ms: 3, error: "Unavailable" }], 1_000);
    expect(s.perSecond).toBe(0);
    expect(s.p50Ms).toBeNaN();
  });

  test("percentiles are nearest-rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
  });
});

describe("ghz reports", () => {
  test("only calls with status OK are successes; latencies are read from nanoseconds", () => {
    const result = samplesOf({
      total: 2_000_000_000,
      details: [
        { latency: 5_000_000, status: "OK" },
        { latency: 1_000_000, status: "Unavailable", error: "connection refused" },
        { latency: 7_000_000, status: "OK" },
      ],
    });
    expect(result.elapsedMs).toBe(2_000);
    expect(result.samples).toEqual([
      { ok: true, ms: 5 },
      { ok: false, ms: 1, error: "Unavailable" },
      { ok: true, ms: 7 },
    ]);
    expect(summarise(result.samples, result.elapsedMs).perSecond).toBe(1);
  });
});
