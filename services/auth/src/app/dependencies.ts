import type { RegistrationInput } from "@flowshield/workflows/registration";
import type { User } from "../domain/user";

// What the auth service's use cases need from the world, as small interfaces; adapters/ implements
// them (kysely, bcrypt, jose, Temporal) and server.ts wires them together.

export interface UserRepository {
  findById(id: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  // Inserts unless a user with that id or email exists; returns the new user, or undefined.
  insertIfAbsent(user: User): Promise<User | undefined>;
  // Whether a user was deleted; deleting a missing user is not an error.
  deleteById(id: string): Promise<boolean>;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  // Compares against the hash, or against a dummy hash of the same cost when there is no user,
  // so that a login takes as long for an unknown email as for a known one.
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

export interface AccessTokenIssuer {
  issue(userId: string): Promise<{ accessToken: string; expiresIn: number }>;
}

// Runs the registration saga and waits for it.
export interface RegistrationGateway {
  register(input: RegistrationInput, signal: AbortSignal): Promise<{ userId: string; workflowId: string }>;
}
