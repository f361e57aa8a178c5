import { totpCodeAt } from "../../mfa/domain/totp";
import { ADA, CALLER, inMemoryApp, signIn } from "../../testing/in-memory-deps";
import { submitSecurityForm } from "./security-forms";

// The console's security forms over the in-memory application, on a clock the test moves: the
// step-up a stale session is asked for (ten minutes after its factor) and what it unlocks.

const T0 = new Date("2026-12-06T12:00:10Z");
const FORMS = { base: "/account", csrf: "token" };
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

test("removing a factor from a stale session shows the step-up form; the app's code unlocks it", async () => {
  const { world, app } = inMemoryApp();
  world.addUser(ADA);
  world.time.now = T0;
  const pair = await signIn(app, ADA, CALLER);
  const started = await submitSecurityForm(app, "totp-start", form({}), pair, FORMS, CALLER);
  const secret = /<code>([A-Z2-7 ]+)<\/code>/.exec(started.top ?? "")![1]!.replace(/ /g, "");
  const enrollmentId = /name="enrollment_id" value="([^"]+)"/.exec(started.top ?? "")![1]!;
  const confirmed = await submitSecurityForm(
    app,
    "totp-confirm",
    form({ enrollment_id: enrollmentId, code: totpCodeAt(secret, T0) }),
    pair,
    FORMS,
    CALLER,
  );
  expect(confirmed.top?.match(/<li><code>/g)).toHaveLength(10);

  world.time.now = new Date(T0.getTime() + 11 * 60_000);
  const stale = await submitSecurityForm(app, "remove-factor", form({ factor_id: enrollmentId }), pair, FORMS, CALLER);
  expect(stale.status).toBe(403);
  expect(stale.top).toContain('action="/account/step-up"');
  const challengeIn = (html: string | undefined) => /name="challenge" value="([^"]+)"/.exec(html ?? "")![1]!;
  const wrong = await submitSecurityForm(app, "step-up", form({ challenge: challengeIn(stale.top), code: "000000" }), pair, FORMS, CALLER);
  expect([wrong.status, wrong.error]).toEqual([401, "that code or passkey is wrong or was used already"]);
  // Asked again, on a fresh challenge.
  const stepped = await submitSecurityForm(
    app,
    "step-up",
    form({ challenge: challengeIn(wrong.top), code: totpCodeAt(secret, world.time.now) }),
    pair,
    FORMS,
    CALLER,
  );
  expect(stepped.notice).toMatch(/^Confirmed/);
  const removed = await submitSecurityForm(app, "remove-factor", form({ factor_id: enrollmentId }), pair, FORMS, CALLER);
  expect([removed.status, removed.notice]).toEqual([200, "Removed. Your other sessions were signed out."]);
  expect((await app.listFactors(pair.accessToken)).factors).toEqual([]);
});
