import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ServingStatus } from "@flowshield/common/runtime/health";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { Health } from "@flowshield/gen/grpc/health/v1/health_pb";
import { findUserByEmail } from "@flowshield/auth/db";
import { startAuthService } from "@flowshield/auth/server";
import { freePort } from "../../scripts/free-port";
import { createTemporalClient } from "@flowshield/common/temporal/client";
import { GOOD_PASSWORD, testEnv, uniqueEmail, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { quietLog, testAuthConfig, useFullStack } from "../support/stack";

jest.setTimeout(60_000);

const stack = useFullStack();
const email = uniqueEmail();
beforeAll(async () => {
  await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Before" });
});

// A second auth service, on the same database, pointed at a Temporal address where nothing
// listens, as when the cluster is down.
test("with Temporal unreachable, Register answers UNAVAILABLE and leaves nothing, RequestPasswordReset answers as ever and makes no code; login, refresh and profile reads work; only the AuthService entry is not ready", async () => {
  const auth = await startAuthService(testAuthConfig({ temporalAddress: `127.0.0.1:${await freePort()}` }), quietLog);
  try {
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
    const newEmail = uniqueEmail();
    const outcome = await outcomeOf(
      client.register({ email: newEmail, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "During" }),
    );
    expect(outcome).toEqual({ code: Code.Unavailable, message: "registration is unavailable right now; retry shortly" });
    expect(await findUserByEmail(auth.db, newEmail)).toBeUndefined();

    const login = await client.login({ email, password: GOOD_PASSWORD });
    expect(login.accessToken.split(".")).toHaveLength(3);
    // Sessions live in the auth database: refreshing needs no workflow.
    expect((await client.refreshToken({ refreshToken: login.refreshToken })).refreshToken).not.toBe(login.refreshToken);
    // A reset needs its workflow, asked for after the answer (which must not tell a known email
    // from an unknown one, Temporal down or not): OK, and no code was made — the user, mailed
    // nothing, asks again.
    expect(await outcomeOf(client.requestPasswordReset({ email }))).toEqual({ code: "ok" });
    const me = await findUserByEmail(auth.db, email);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const codes = await auth.db
      .selectFrom("email_codes")
      .select("code_hash")
      .where("user_id", "=", me!.id)
      .where("purpose", "=", "reset_password")
      .execute();
    expect(codes).toEqual([]);
    const profile = await stack().profileGrpc.getProfile({ lookup: { case: "userId", value: me!.id } });
    expect(profile.profile?.displayName).toBe("Before");

    await auth.readiness.checkNow();
    const health = createClient(Health, createGrpcTransport({ baseUrl: auth.publicUrl }));
    expect((await health.check({ service: AuthService.typeName })).status).toBe(ServingStatus.NOT_SERVING);
    expect((await health.check({ service: "" })).status).toBe(ServingStatus.SERVING);
  } finally {
    await auth.close();
  }
});

// The SDK retries a failed call on a timer of its own, which throws if the connection was closed
// in between: close() must wait for the calls under way (this ended test processes before).
test("closing the Temporal client while a call to an unreachable server is being retried ends nothing", async () => {
  const temporal = createTemporalClient({
    address: `127.0.0.1:${await freePort()}`,
    namespace: "default",
    payloadKeys: testEnv.payloadKeys(),
  });
  const ping = temporal.ping(1_500).catch((err: unknown) => err);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await temporal.close();
  expect(await ping).toBeInstanceOf(Error);
  // A retry timer left behind would fire within its backoff and throw here.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
});
