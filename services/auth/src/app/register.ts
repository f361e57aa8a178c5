import { randomUUID } from "node:crypto";
import type { Caller } from "../domain/audit";
import { validateRegistration, type RegistrationRequest } from "../domain/registration";
import type { User } from "../domain/user";
import type { AuthDeps } from "./dependencies";

export type RegisterDeps = Pick<AuthDeps, "users" | "hasher" | "registration" | "credentials" | "limits">;

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
  await deps.limits.consume("register", caller.ip);
  const userId = randomUUID();
  await deps.credentials.store(userId, await deps.hasher.hash(valid.password));
  try {
    const { workflowId } = await deps.registration.register(
      {
        userId,
        email: valid.email,
        username: valid.username,
        displayName: valid.displayName,
      },
      signal,
    );
    const user = await deps.users.findById(userId);
    if (user === undefined) throw new Error(`the registration saga ${workflowId} finished without its user`);
    return { user, workflowId };
  } finally {
    // Taken by CreateUser when the saga got that far; otherwise no longer wanted.
    await deps.credentials.discard(userId);
  }
}
