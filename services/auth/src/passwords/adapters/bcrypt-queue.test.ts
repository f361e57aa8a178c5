import { Registry } from "prom-client";
import { createBcryptQueue } from "./bcrypt-queue";

// The queue's refusals (test/attacks/login-burst.test.ts drives it over HTTP/2 with real bcrypt).

const CALLER = "ada@example.com at 192.0.2.1";
const answer = (p: Promise<unknown>) =>
  p.then(
    () => "done",
    (err: { reason?: string }) => err.reason ?? String(err),
  );

function held() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { work: () => gate, release };
}

test("a caller's fifth attempt on an account at once is refused BUSY, answered a second after it was made", async () => {
  const queue = createBcryptQueue({ concurrency: 1, queueLimit: 8 }, new Registry());
  const { work, release } = held();
  const admitted = Array.from({ length: 4 }, () => answer(queue.admit(CALLER, work)));
  const started = performance.now();
  expect(await answer(queue.admit(CALLER, work))).toBe("BUSY");
  // A timer may fire a millisecond early by this clock.
  expect(performance.now() - started).toBeGreaterThanOrEqual(995);
  // Another address on the same account is admitted.
  const elsewhere = answer(queue.admit("ada@example.com at 198.51.100.7", async () => undefined));
  release();
  expect(await Promise.all([...admitted, elsewhere])).toEqual(Array(5).fill("done"));
});

test("past the refusals that may be held at once, the rest are answered at once; a freed place holds the next", async () => {
  const queue = createBcryptQueue({ concurrency: 1, queueLimit: 8, maxHeldRefusals: 2 }, new Registry());
  const { work, release } = held();
  const admitted = Array.from({ length: 4 }, () => answer(queue.admit(CALLER, work)));
  const settled: number[] = [];
  const refused = Array.from({ length: 5 }, (_, i) => answer(queue.admit(CALLER, work)).finally(() => settled.push(i)));
  expect(await Promise.all(refused)).toEqual(Array(5).fill("BUSY"));
  // The two held were the first refused; the three after them were answered while those waited.
  expect(settled.slice(0, 3).sort()).toEqual([2, 3, 4]);
  expect(settled.slice(3).sort()).toEqual([0, 1]);
  const started = performance.now();
  expect(await answer(queue.admit(CALLER, work))).toBe("BUSY");
  expect(performance.now() - started).toBeGreaterThanOrEqual(995);
  release();
  await Promise.all(admitted);
});

test("an account's lane holds one attempt running and three waiting; a fifth is refused BUSY", async () => {
  const queue = createBcryptQueue({ concurrency: 4, queueLimit: 64 }, new Registry());
  const { work, release } = held();
  const inLane = Array.from({ length: 4 }, () => answer(queue.run("ada@example.com", work)));
  expect(await answer(queue.run("ada@example.com", work))).toBe("BUSY");
  // Another account's lane is its own.
  const other = answer(queue.run("grace@example.com", async () => undefined));
  expect(await other).toBe("done");
  release();
  expect(await Promise.all(inLane)).toEqual(Array(4).fill("done"));
});
