import type { Client } from "@connectrpc/connect";
import { toActivityFailure } from "@flowshield/contracts/failure-codec";
import type { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";

// How every activity calls a service's internal RPCs.

// The internal services' clients, made once by the worker's composition root; each workflow's
// activities take the ones they call.
export interface ServiceClients {
  userAdmin: Client<typeof UserAdminService>;
  profileAdmin: Client<typeof ProfileAdminService>;
}

// Each call is bounded, so a hung service shows up as a retried attempt, not a stuck activity.
export const CALL_TIMEOUT_MS = 10_000;
// A call that mails (SendEmailCode): the auth service's SMTP timeouts fit inside it, and it fits
// inside the mail activities' 30 s (mail/activity-options.ts).
export const MAIL_CALL_TIMEOUT_MS = 25_000;

// Calls an RPC and turns its ConnectError into the failure Temporal should act on.
export async function callRpc<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
