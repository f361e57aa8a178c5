import { randomUUID } from "node:crypto";
import { limitKeyOfAddress } from "@flowshield/common/runtime/client-address";
import { DomainError, type ErrorKind } from "@flowshield/common/contract/errors";
import type { Caller } from "../../audit/domain/audit";
import { validateRegistration, type RegistrationRequest } from "../domain/registration";
import type { User } from "../../kernel/domain/user";
import type { AuthDeps } from "../../kernel/app/dependencies";
import { limited } from "../../limits/app/refusals";

export type RegisterDeps = Pick<AuthDeps, "users" | "hasher" | "bcrypt" | "registration" | "credentials" | "limits" | "audit" | "risk">;

// Checks every field before anything is hashed or started, so a bad request costs no bcrypt round
// and leaves no workflow behind; counts the attempt against the caller's address; hashes the
// password and stores the hash under the new user's id (neither enters Temporal); runs the saga;
// answers with the user it made, read back from the database.
export async function register(
  deps: RegisterDeps,
  req: RegistrationRequest,
  caller: Caller,
  signal: AbortSignal,
): Promise<{ user: User; workflowId: string }> {
  const valid = validateRegistration(req);
  await limited(deps, caller, () => deps.limits.consume("register", limitKeyOfAddress(caller.ip)));
  const userId = randomUUID();
  // In the bcrypt queue, but in a lane of its own: registrations are not aimed at an account, and
  // their number is limited per address above.
  await deps.credentials.store(userId, await deps.bcrypt.run(userId, () => deps.hasher.hash(valid.password)));
  let workflowId: string;
  try {
    ({ workflowId } = await deps.registration.register(
      {
        userId,
        email: valid.email,
        username: valid.username,
        displayName: valid.displayName,
        client: { ip: caller.ip, userAgent: caller.userAgent, deviceId: caller.deviceId ?? "" },
      },
      signal,
    ));
  } catch (err) {
    // The saga's createUser takes the hash. When the outcome is known (refused, or never
    // started), nobody will; when it is not (the wait timed out, the caller left, contact was
    // lost), the saga may still need it. Left over, it is purged after a day.
    if (!(err instanceof DomainError && OUTCOME_UNKNOWN.has(err.kind))) await deps.credentials.discard(userId);
    throw err;
  }
  const user = await deps.users.findById(userId);
  if (user === undefined) throw new Error(`the registration saga ${workflowId} finished without its user`);
  // The address the account was made from is its owner's: spared the limits strangers share
  // (code guesses, code mails, failed sign-ins), and the account's first sighting for the risk
  // engine (its owner's first sign-in from there, on that device, is no news).
  await Promise.all([deps.limits.rememberAddress(valid.email, caller.ip), deps.risk.signedIn(user.id, caller)]);
  return { user, workflowId };
}

const OUTCOME_UNKNOWN = new Set<ErrorKind>(["deadlineExceeded", "canceled", "unavailable"]);
