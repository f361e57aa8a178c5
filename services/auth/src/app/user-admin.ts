import { AlreadyExistsError, NotFoundError } from "@flowshield/common/errors";
import { checkUuid, normaliseEmail } from "@flowshield/common/validation";
import { checkBcryptHash } from "../domain/bcrypt-hash";
import type { User } from "../domain/user";
import type { UserRepository } from "./dependencies";

// User administration for the registration saga (the internal listener). Every step is
// idempotent, because Temporal retries activities.

export async function createUser(users: UserRepository, req: { id: string; email: string; passwordHash: string }): Promise<User> {
  const id = checkUuid(req.id, "id");
  const email = normaliseEmail(req.email);
  const passwordHash = checkBcryptHash(req.passwordHash);
  const now = new Date();
  const inserted = await users.insertIfAbsent({ id, email, passwordHash, status: "active", createTime: now, updateTime: now });
  if (inserted !== undefined) return inserted;
  // Nothing inserted: either this very call ran before (same id and email: answer as then), or
  // the email or the id belongs to someone else.
  const existing = await users.findById(id);
  if (existing !== undefined && existing.email === email) return existing;
  if (existing !== undefined) throw new AlreadyExistsError("id", "ID_TAKEN", "id is already taken by another user");
  throw new AlreadyExistsError("email", "EMAIL_TAKEN", "email is already registered");
}

export async function getUser(users: UserRepository, req: { id: string }): Promise<User> {
  const user = await users.findById(checkUuid(req.id, "id"));
  if (user === undefined) throw new NotFoundError("user");
  return user;
}

// Compensation for createUser: succeeds when the user is already gone.
export async function deleteUser(users: UserRepository, req: { id: string }): Promise<void> {
  await users.deleteById(checkUuid(req.id, "id"));
}
