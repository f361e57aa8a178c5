import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { Client } from "@connectrpc/connect";
import { UserStatus, type User } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import type { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { Profile } from "@flowshield/gen/flowshield/profile/v1/profile_pb";
import type { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { callRpc } from "./activity-failures";
import type { RegisteredProfile, RegisteredUser } from "./registration-contract";

export interface SagaClients {
  userAdmin: Client<typeof UserAdminService>;
  profileAdmin: Client<typeof ProfileAdminService>;
}

export interface CreateUserInput {
  id: string;
  email: string;
  passwordHash: string;
}

export interface CreateProfileInput {
  userId: string;
  username: string;
  displayName: string;
}

// Each call is bounded, so a hung service shows up as a retried attempt, not a stuck activity.
const CALL_TIMEOUT_MS = 10_000;

// The saga's steps: thin gRPC calls to the services' internal listeners, which make them
// idempotent. Results are plain JSON, the form Temporal records in the history.
export function createActivities(clients: SagaClients) {
  return {
    async createUser(input: CreateUserInput): Promise<RegisteredUser> {
      const res = await callRpc(() => clients.userAdmin.createUser(input, { timeoutMs: CALL_TIMEOUT_MS }));
      return registeredUser(res.user);
    },

    async createProfile(input: CreateProfileInput): Promise<RegisteredProfile> {
      const res = await callRpc(() => clients.profileAdmin.createProfile(input, { timeoutMs: CALL_TIMEOUT_MS }));
      return registeredProfile(res.profile);
    },

    // Compensation for createUser. Succeeds when the user is already gone.
    async deleteUser(userId: string): Promise<void> {
      await callRpc(() => clients.userAdmin.deleteUser({ id: userId }, { timeoutMs: CALL_TIMEOUT_MS }));
    },
  };
}

export type RegistrationActivities = ReturnType<typeof createActivities>;

const STATUS_NAMES: Partial<Record<UserStatus, RegisteredUser["status"]>> = {
  [UserStatus.PENDING]: "pending",
  [UserStatus.ACTIVE]: "active",
  [UserStatus.DISABLED]: "disabled",
};

function isoTime(ts: Timestamp | undefined): string {
  return ts === undefined ? new Date(0).toISOString() : timestampDate(ts).toISOString();
}

export function registeredUser(user: User | undefined): RegisteredUser {
  if (user === undefined) throw new Error("CreateUser answered without a user");
  return {
    id: user.id,
    email: user.email,
    status: STATUS_NAMES[user.status] ?? "pending",
    createTime: isoTime(user.createTime),
    updateTime: isoTime(user.updateTime),
  };
}

export function registeredProfile(profile: Profile | undefined): RegisteredProfile {
  if (profile === undefined) throw new Error("CreateProfile answered without a profile");
  return { id: profile.id, userId: profile.userId, username: profile.username, displayName: profile.displayName };
}
