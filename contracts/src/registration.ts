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
  // The registering client as Register saw it, for the risk assessment (the saga's first step):
  // its address, user agent and device id ("" when it sent none). The history is encrypted.
  // Absent from sagas started before the risk step (UNKNOWN_CLIENT).
  client?: RegistrationClient;
}

export interface RegistrationClient {
  ip: string;
  userAgent: string;
  deviceId: string;
}

// A saga started without its client (by an auth service from before the risk step, during a
// rolling upgrade, or by an operator's hand): assessed as a client nothing is known of.
export const UNKNOWN_CLIENT: RegistrationClient = { ip: "", userAgent: "", deviceId: "" };

// The risk engine's decision on a registration, as the saga's first step answers it (and its
// history records it): the decision, its score (0–1), its reasons' stable codes, the policy's version.
export interface RegistrationRisk {
  decision: "allow" | "verify_first" | "hold" | "refuse";
  score: number;
  reasons: string[];
  policyVersion: string;
}

// How a refused registration fails (PERMISSION_DENIED, RISK_REFUSED), saying nothing of why.
export const RISK_REFUSED = "RISK_REFUSED";

// The Web UI's view of a registration's risk: a custom search attribute (Keyword) holding its
// level only — low (allowed), medium (verify first), high (held), refused — no personal data.
// The worker registers it in its namespace when it starts (workflows/src/search-attributes.ts).
export const RISK_LEVEL_SEARCH_ATTRIBUTE = "RiskLevel";
export const RISK_LEVELS: Record<RegistrationRisk["decision"], string> = {
  allow: "low",
  verify_first: "medium",
  hold: "high",
  refuse: "refused",
};

// The saga answers with ids only; the auth service reads the user it made from its own database
// (a held registration's user is left PENDING, for an operator's review).
export interface RegistrationResult {
  userId: string;
  profileId: string;
}

export interface CreateUserInput {
  id: string;
  email: string;
  // The risk decision was verify_first: no sign-in before the email is verified.
  verifyFirst: boolean;
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
  // The first step: nothing is made; the decision is the saga's to act on.
  assessRegistrationRisk(input: { userId: string; email: string; client: RegistrationClient }): Promise<RegistrationRisk>;
  createUser(input: CreateUserInput): Promise<{ userId: string }>;
  createProfile(input: CreateProfileInput): Promise<{ profileId: string }>;
  // The last step: the account may sign in from now on, and its email verification starts.
  activateUser(userId: string): Promise<void>;
}
