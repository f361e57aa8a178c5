import { randomUUID } from "node:crypto";
import bcrypt from "bcrypt";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { GOOD_PASSWORD, SERVICE_CREDENTIAL, uniqueEmail } from "./env";

// An ACTIVE user made through UserAdminService as the saga makes one (CreateUser with a bcrypt
// hash, then ActivateUser), without the saga: for tests of what comes after registration.
// `beforeActivation` runs between the two (the saga's profile step).
export async function createActiveUser(
  authInternalUrl: string,
  beforeActivation?: (user: { id: string; email: string }) => Promise<void>,
): Promise<{ id: string; email: string }> {
  const users = createInternalClient(UserAdminService, authInternalUrl, SERVICE_CREDENTIAL);
  const user = { id: randomUUID(), email: uniqueEmail() };
  await users.createUser({ ...user, passwordHash: await bcrypt.hash(GOOD_PASSWORD, 4) });
  await beforeActivation?.(user);
  await users.activateUser({ id: user.id });
  return user;
}
