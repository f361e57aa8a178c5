import type { AccountRemovalActivities } from "./account-removal";

// What the registration saga's starter (the auth service) and its worker agree on. Types and
// constants only, imported by the workflow bundle: nothing here runs.

export const REGISTRATION_WORKFLOW = "registrationWorkflow";

export interface RegistrationInput {
  // Chosen by the auth service, which stored the password's hash under it before the workflow
  // started: no password and no hash enters Temporal. A retried createUser sends the same id.
  userId: string;
  // Normalised by the auth service before the workflow starts.
  email: string;
  username: string;
  displayName: string;
}

// The saga answers with ids only; the auth service reads the user it made from its own database.
export interface RegistrationResult {
  userId: string;
  profileId: string;
}

export interface CreateUserInput {
  id: string;
  email: string;
}

export interface CreateProfileInput {
  userId: string;
  username: string;
  displayName: string;
}

// The saga's steps, as the workflow calls them (workflows/src/registration/activities.ts implements
// them); its compensations are the account removal's deleteUser (for createUser) and deleteProfile
// (for createProfile).
export interface RegistrationActivities extends AccountRemovalActivities {
  createUser(input: CreateUserInput): Promise<{ userId: string }>;
  createProfile(input: CreateProfileInput): Promise<{ profileId: string }>;
  // The last step: the account may sign in from now on, and its email verification starts.
  activateUser(userId: string): Promise<void>;
}
