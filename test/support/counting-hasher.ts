import bcrypt from "bcrypt";
import type { RunningAuthService } from "@flowshield/auth/server";
import { startAuthService } from "@flowshield/auth/server";
import type { AuthConfig } from "@flowshield/auth/config";
import { quietLog, testAuthConfig } from "./stack";

// An auth service whose bcrypt comparisons are counted: what the brute-force tests measure is how
// many password checks an attacker gets. Real bcrypt, at the tests' cost, behind the service's own
// bcrypt queue.
export async function startCountingAuth(overrides: Partial<AuthConfig>): Promise<{ auth: RunningAuthService; compares: () => number }> {
  const dummy = await bcrypt.hash("dummy", 4);
  let compares = 0;
  const auth = await startAuthService(testAuthConfig(overrides), quietLog, {
    hasher: {
      hash: (password) => bcrypt.hash(password, 4),
      async verify(password, hash) {
        compares++;
        return (await bcrypt.compare(password, hash ?? dummy)) && hash !== undefined;
      },
    },
  });
  return { auth, compares: () => compares };
}
