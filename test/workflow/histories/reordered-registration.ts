import { proxyLocalActivities } from "@temporalio/workflow";
import type { RegistrationActivities, RegistrationInput, RegistrationResult } from "@flowshield/contracts/registration";

// A registration saga whose steps a careless change reordered (the profile before the user): the
// replay test shows that the recorded histories catch it. Never bundled into a worker.
const { createUser, createProfile, activateUser } = proxyLocalActivities<RegistrationActivities>({ startToCloseTimeout: "15 seconds" });

export async function registrationWorkflow(input: RegistrationInput): Promise<RegistrationResult> {
  const { profileId } = await createProfile({ userId: input.userId, username: input.username, displayName: input.displayName });
  await createUser({ id: input.userId, email: input.email, verifyFirst: false });
  await activateUser(input.userId);
  return { userId: input.userId, profileId };
}
