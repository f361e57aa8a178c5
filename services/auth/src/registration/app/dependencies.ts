import type { RegistrationInput } from "@flowshield/contracts/registration";

// What Register needs from the world (kernel/app/dependencies.ts gathers every capability's
// interfaces into AuthDeps); adapters/ implements them.

// The hash Register keeps for the saga's CreateUser, so that no hash travels through Temporal.
export interface RegistrationCredentials {
  store(userId: string, passwordHash: string): Promise<void>;
  find(userId: string): Promise<string | undefined>;
  discard(userId: string): Promise<void>;
}

// Runs the registration saga and waits for it.
export interface RegistrationGateway {
  register(input: RegistrationInput, signal: AbortSignal): Promise<{ userId: string; workflowId: string }>;
}
