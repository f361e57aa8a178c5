import type { Client } from "@connectrpc/connect";
import { Secret, TOTP } from "otpauth";
import type { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";

const PERIOD_MS = 30_000;

// An authenticator app as a person uses one, for the tests and the benchmark: it shows the code
// of the current 30-second step. A code works once, so an app asked twice within a step hands out
// the next step's code (the server takes one step either side of now) or, past that, waits for
// the step to come: a caller never depends on where in a step it happens to run.
export function authenticatorApp(secretBase32: string) {
  const totp = new TOTP({ algorithm: "SHA1", digits: 6, period: PERIOD_MS / 1000, secret: Secret.fromBase32(secretBase32) });
  let lastStep = -Infinity;
  return {
    async code(): Promise<string> {
      for (;;) {
        const current = Math.floor(Date.now() / PERIOD_MS);
        const step = Math.max(current, lastStep + 1);
        if (step <= current + 1) {
          lastStep = step;
          return totp.generate({ timestamp: step * PERIOD_MS });
        }
        await new Promise((resolve) => setTimeout(resolve, (step - 1) * PERIOD_MS - Date.now() + 50));
      }
    },
    // A code from two steps ago: outside the window.
    stale: () => totp.generate({ timestamp: Date.now() - 2 * PERIOD_MS }),
  };
}

// An account's authenticator app, enrolled through the API as its owner would: signed in with the
// password, StartTotpEnrollment, and the app's first code. Answers the session that enrolled it,
// what StartTotpEnrollment and ConfirmTotpEnrollment answered, and the app (which knows the step
// its first code spent).
export async function enrolTotp(auth: Client<typeof AuthService>, credentials: { email: string; password: string }) {
  const session = await auth.login(credentials);
  const bearer = { headers: { authorization: `Bearer ${session.accessToken}` } };
  const started = await auth.startTotpEnrollment({}, bearer);
  const app = authenticatorApp(started.secret);
  const confirmed = await auth.confirmTotpEnrollment({ enrollmentId: started.enrollmentId, code: await app.code() }, bearer);
  return { session, started, confirmed, app };
}
