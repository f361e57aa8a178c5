import { freePortForTests } from "../support/ports";
import { findUserByEmail } from "@flowshield/auth/src/db/user-repository";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { startFullStack, type FullStack } from "../support/stack";

jest.setTimeout(60_000);

// The auth service pointed at a Temporal address where nothing listens, as when the cluster is down.
let stack: FullStack;
let email: string;
beforeAll(async () => {
  stack = await startFullStack();
  email = uniqueEmail();
  await stack.authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Before" });
});
afterAll(async () => {
  await stack?.stop();
});

test("with Temporal unreachable, Register answers UNAVAILABLE and leaves nothing; login and profile reads work", async () => {
  const { startAuthService } = await import("@flowshield/auth/src/server");
  const { testAuthConfig, quietLog } = await import("../support/stack");
  const { createClient } = await import("@connectrpc/connect");
  const { createGrpcTransport } = await import("@connectrpc/connect-node");
  const { AuthService } = await import("@flowshield/gen/flowshield/auth/v1/auth_service_pb");
  const deadPort = await freePortForTests();
  const auth = await startAuthService(testAuthConfig({ temporalAddress: `127.0.0.1:${deadPort}` }), quietLog);
  try {
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
    const newEmail = uniqueEmail();
    const outcome = await outcomeOf(client.register({ email: newEmail, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "During" }));
    expect(outcome).toEqual({ code: Code.Unavailable, message: "registration is unavailable right now; retry shortly" });
    expect(await findUserByEmail(auth.db, newEmail)).toBeUndefined();

    const login = await client.login({ email, password: GOOD_PASSWORD });
    expect(login.accessToken.split(".")).toHaveLength(3);
    const me = await findUserByEmail(auth.db, email);
    const profile = await stack.profileGrpc.getProfile({ lookup: { case: "userId", value: me!.id } });
    expect(profile.profile?.displayName).toBe("Before");
  } finally {
    await auth.close();
  }
});
