// Removing an account's data from both services: the registration saga's compensations, and the
// email verification workflow's removal of an account never verified. Both workflows schedule
// these activities by name; the worker registers one implementation. Types only: nothing here runs.
export interface AccountRemovalActivities {
  // Succeeds when the user is already gone.
  deleteUser(userId: string): Promise<void>;
  // Succeeds when the profile is already gone.
  deleteProfile(userId: string): Promise<void>;
}
