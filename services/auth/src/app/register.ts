import { validateRegistration, type RegistrationRequest } from "../domain/registration";
import type { User } from "../domain/user";
import type { PasswordHasher, RegistrationGateway, UserRepository } from "./dependencies";

export interface RegisterDeps {
  users: UserRepository;
  hasher: PasswordHasher;
  registration: RegistrationGateway;
}

// Checks every field before anything is hashed or started, so a bad request costs no bcrypt round
// and leaves no workflow behind; hashes the password (it never enters Temporal); runs the saga;
// answers with the user it made, read back from the database.
export async function register(
  deps: RegisterDeps,
  req: RegistrationRequest,
  signal: AbortSignal,
): Promise<{ user: User; workflowId: string }> {
  const valid = validateRegistration(req);
  const passwordHash = await deps.hasher.hash(valid.password);
  const { userId, workflowId } = await deps.registration.register(
    { email: valid.email, passwordHash, username: valid.username, displayName: valid.displayName },
    signal,
  );
  const user = await deps.users.findById(userId);
  if (user === undefined) throw new Error(`the registration saga ${workflowId} finished without its user`);
  return { user, workflowId };
}
