// What the registration saga's starter (the auth service) and its worker agree on. Types and
// constants only: the workflow bundle imports this file, so it must stay deterministic.

export const REGISTRATION_WORKFLOW = "registrationWorkflow";
export const DEFAULT_TASK_QUEUE = "flowshield-registration";

export interface RegistrationInput {
  // Normalised by the auth service before the workflow starts.
  email: string;
  // A bcrypt hash: the password itself never enters Temporal.
  passwordHash: string;
  username: string;
  displayName: string;
}

export interface RegisteredUser {
  id: string;
  email: string;
  status: "pending" | "active" | "disabled";
  createTime: string;
  updateTime: string;
}

export interface RegisteredProfile {
  id: string;
  userId: string;
  username: string;
  displayName: string;
}

export interface RegistrationResult {
  user: RegisteredUser;
  profile: RegisteredProfile;
}

// ApplicationFailure types for business failures. The starter maps them back to status codes;
// the workflow never retries them.
export const FailureType = {
  invalidArgument: "InvalidArgument",
  alreadyExists: "AlreadyExists",
  permissionDenied: "PermissionDenied",
  notFound: "NotFound",
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];
