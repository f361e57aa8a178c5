import { isSessionLive, refreshExpiresIn, type Session, type SessionPolicy, withinReuseGrace } from "./session";

const DAY = 86_400_000;
const policy: SessionPolicy = { refreshTtlMs: 30 * DAY, idleTtlMs: 7 * DAY, reuseGraceMs: 10_000 };
const start = new Date("2026-01-01T00:00:00Z");
const session = (over: Partial<Session> = {}): Session => ({
  id: "s",
  userId: "u",
  createTime: start,
  lastUseTime: start,
  expireTime: new Date(start.getTime() + policy.refreshTtlMs),
  ip: "",
  amr: ["pwd"],
  userAgent: "",
  ...over,
});
const at = (ms: number) => new Date(start.getTime() + ms);

describe("session lifetime", () => {
  test("a session unused for the idle limit is over, even before its end", () => {
    expect(isSessionLive(session(), policy, at(7 * DAY - 1))).toBe(true);
    expect(isSessionLive(session(), policy, at(7 * DAY))).toBe(false);
  });

  test("use slides the idle limit, up to the session's absolute end", () => {
    const used = session({ lastUseTime: at(27 * DAY) });
    expect(isSessionLive(used, policy, at(29 * DAY))).toBe(true);
    expect(isSessionLive(used, policy, at(30 * DAY))).toBe(false);
    // A refresh token handed out on day 27 lives to the end (3 days), not the idle limit (7).
    expect(refreshExpiresIn(used, policy, at(27 * DAY))).toBe(3 * 86_400);
    expect(refreshExpiresIn(session(), policy, start)).toBe(7 * 86_400);
  });

  test("a revoked session is over", () => {
    expect(isSessionLive(session({ revokeTime: start }), policy, start)).toBe(false);
  });
});

test("a refresh token used again within the grace window is a concurrent caller; after it, a replay", () => {
  const consumed = new Date("2026-12-06T12:00:00Z");
  const after = (ms: number) => new Date(consumed.getTime() + ms);
  expect(withinReuseGrace(consumed, after(0), 10_000)).toBe(true);
  expect(withinReuseGrace(consumed, after(10_000), 10_000)).toBe(true);
  expect(withinReuseGrace(consumed, after(10_001), 10_000)).toBe(false);
  expect(withinReuseGrace(consumed, after(1), 0)).toBe(false);
});
