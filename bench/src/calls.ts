// The calls the Node-driven load phases make, one per `n`. Each request is unique where the
// service requires it (emails, usernames, user ids), so no call fails for a conflict.
import { randomUUID } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import { generateKeyPair, SignJWT } from "jose";
import type { Client as TemporalClient } from "@temporalio/client";
import type { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import type { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import type { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { REGISTRATION_WORKFLOW, type RegistrationInput } from "@flowshield/contracts/registration";

// Strong enough for the password policy; every benchmark user has it.
export const BENCH_PASSWORD = "analytical engine 1843 bench";

// A name for one benchmark run, so that its users are told apart from another run's.
export function newRunId(): string {
  return randomUUID().slice(0, 8);
}

export function benchUser(runId: string, phase: string, n: number) {
  // Short enough for a username (at most 32 of [a-z0-9_]): the run id is 8 hex digits.
  const name = `${phase}_${runId}_${n}`;
  return { email: `${name}@bench.example`, username: name, displayName: `Bench ${n}` };
}

// Register over gRPC; the ids of the users whose registration answered OK are added to `registered`.
export function registerCall(auth: Client<typeof AuthService>, runId: string, phase: string, registered: Set<string>) {
  return async (n: number) => {
    const res = await auth.register({ ...benchUser(runId, phase, n), password: BENCH_PASSWORD });
    if (res.user === undefined) throw new Error("Register answered without a user");
    registered.add(res.user.id);
  };
}

// The no-op saga: the registration workflow on the no-op worker's task queue, started and awaited.
export function noopSagaCall(temporal: TemporalClient, taskQueue: string, runId: string) {
  return async (n: number) => {
    const user = benchUser(runId, "noop", n);
    const input: RegistrationInput = {
      userId: randomUUID(),
      email: user.email,
      username: user.username,
      displayName: user.displayName,
      client: { ip: "127.0.0.1", userAgent: "bench", deviceId: "" },
    };
    await temporal.workflow.execute(REGISTRATION_WORKFLOW, { taskQueue, workflowId: `bench-noop-${runId}-${n}`, args: [input] });
  };
}

// The saga's two inserts made directly through the internal RPCs, one after the other, without
// Temporal; the users made this way are added to `registered`.
export function directInsertsCall(
  userAdmin: Client<typeof UserAdminService>,
  profileAdmin: Client<typeof ProfileAdminService>,
  runId: string,
  passwordHash: string,
  registered: Set<string>,
) {
  return async (n: number) => {
    const user = benchUser(runId, "direct", n);
    const id = randomUUID();
    await userAdmin.createUser({ id, email: user.email, passwordHash });
    await profileAdmin.createProfile({ userId: id, username: user.username, displayName: user.displayName });
    registered.add(id);
  };
}

// RefreshToken in a closed loop: each call takes a refresh token from the pool (one per lane, each
// its own session) and puts back the successor it got, so every call is a real rotation.
export function refreshCall(auth: Client<typeof AuthService>, pool: string[]) {
  return async () => {
    const token = pool.pop();
    if (token === undefined) throw new Error("more refreshes in flight than sessions in the pool");
    try {
      const res = await auth.refreshToken({ refreshToken: token });
      pool.push(res.refreshToken);
    } catch (err) {
      pool.push(token);
      throw err;
    }
  };
}

// The refresh's baseline: the one signature a refresh makes (an EdDSA access token, as the auth
// service signs it), with jose alone, in this process.
export async function joseSignCall() {
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  return async (n: number) => {
    await new SignJWT({ sid: "bench" })
      .setProtectedHeader({ alg: "EdDSA", kid: "bench", typ: "at+jwt" })
      .setIssuer("flowshield")
      .setSubject(String(n))
      .setAudience("flowshield")
      .setIssuedAt()
      .setExpirationTime("15m")
      .setJti(randomUUID())
      .sign(privateKey);
  };
}
