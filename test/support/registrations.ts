import type { Client } from "@connectrpc/connect";
import type { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { outcomeOf } from "./codes";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "./env";

// Registrations as a caller makes them, for the tests that break something while they run (the
// fault suite, the compose stack's).
export interface Attempt {
  email: string;
  username: string;
  outcome: string;
  message?: string;
  // When the call was made (Date.now()).
  startedAt: number;
}

// One registration with a minute's patience, and its outcome.
export async function registerOnce(client: Client<typeof AuthService>): Promise<Attempt> {
  const email = uniqueEmail();
  const username = uniqueUsername();
  const startedAt = Date.now();
  const { code, message } = await outcomeOf(
    client.register({ email, password: GOOD_PASSWORD, username, displayName: "Fault" }, { timeoutMs: 60_000 }),
  );
  return { email, username, outcome: String(code), message, startedAt };
}

// Registrations, `concurrency` at a time, from the call until finish(), which waits for those in
// flight and returns every outcome. A fault injected in between meets registrations in flight
// (inFlight() tells how many).
export function registrationStream(client: Client<typeof AuthService>, concurrency = 4) {
  const attempts: Attempt[] = [];
  let running = true;
  let inFlight = 0;
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      inFlight++;
      const attempt = await registerOnce(client);
      inFlight--;
      attempts.push(attempt);
      // A refused call is tried again after a pause, as a client would, not in a hot loop.
      if (attempt.outcome !== "ok") await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  return {
    inFlight: () => inFlight,
    async finish(): Promise<Attempt[]> {
      running = false;
      await Promise.all(loops);
      return attempts;
    },
  };
}
