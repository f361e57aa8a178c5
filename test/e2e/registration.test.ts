import { Code, ConnectError } from "@connectrpc/connect";
import { Client as TemporalClient, Connection } from "@temporalio/client";
import { temporal } from "@temporalio/proto";
import { EncryptionCodec } from "@flowshield/common/temporal/payload-codec";
import { UserStatus } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import { findUserByEmail } from "@flowshield/auth/db";
import { findProfileByUsername } from "@flowshield/profile/db";
import { GOOD_PASSWORD, testEnv, uniqueEmail, uniqueUsername } from "../support/env";
import { useFullStack } from "../support/stack";

jest.setTimeout(60_000);

const stack = useFullStack();

async function codeOf(promise: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await promise;
    return "ok";
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe("registration saga, end to end", () => {
  test("registers a user with a profile, then logs in and reads the profile", async () => {
    const email = uniqueEmail();
    const username = uniqueUsername();
    const res = await stack().authJson.register({
      email: `  ${email.toUpperCase()} `,
      password: GOOD_PASSWORD,
      username,
      displayName: "Ada",
    });
    expect(res.user?.email).toBe(email);
    expect(res.user?.status).toBe(UserStatus.ACTIVE);
    expect(res.workflowId).toMatch(/^registration-[0-9a-f]{40}$/);

    const profile = await stack().profileGrpc.getProfile({ lookup: { case: "username", value: username.toUpperCase() } });
    expect(profile.profile?.userId).toBe(res.user?.id);
    expect(profile.profile?.displayName).toBe("Ada");

    const login = await stack().authGrpc.login({ email, password: GOOD_PASSWORD });
    expect(login.tokenType).toBe("Bearer");
    expect(login.expiresIn).toBe(900n);
  });

  test("a taken username compensates the user, and the email can register again", async () => {
    const username = uniqueUsername();
    await stack().authGrpc.register({ email: uniqueEmail(), password: GOOD_PASSWORD, username, displayName: "First" });

    const email = uniqueEmail();
    const failed = stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: username.toUpperCase(), displayName: "Second" });
    await expect(failed).rejects.toMatchObject({ code: Code.AlreadyExists, rawMessage: "username is taken" });
    expect(await findUserByEmail(stack().auth.db, email)).toBeUndefined();
    expect(await codeOf(stack().authGrpc.login({ email, password: GOOD_PASSWORD }))).toBe(Code.Unauthenticated);

    const again = await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Second" });
    expect(again.user?.email).toBe(email);
  });

  test("five concurrent registrations of one email make exactly one user", async () => {
    const email = uniqueEmail();
    const usernames = Array.from({ length: 5 }, () => uniqueUsername());
    const outcomes = await Promise.all(
      usernames.map((username) => codeOf(stack().authGrpc.register({ email, password: GOOD_PASSWORD, username, displayName: "Racer" }))),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(1);
    for (const o of outcomes.filter((o) => o !== "ok")) expect([Code.Aborted, Code.AlreadyExists]).toContain(o);

    const user = await findUserByEmail(stack().auth.db, email);
    expect(user).toBeDefined();
    const profiles = await Promise.all(usernames.map((u) => findProfileByUsername(stack().profile.db, u)));
    const made = profiles.filter((p) => p !== undefined);
    expect(made).toHaveLength(1);
    expect(made[0]?.user_id).toBe(user?.id);
  });

  test("the workflow history holds no password and no hash, and its payloads hide the email and the username", async () => {
    const password = `history-${GOOD_PASSWORD}`;
    const username = uniqueUsername();
    const res = await stack().authGrpc.register({ email: uniqueEmail(), password, username, displayName: "Quiet" });
    const email = res.user!.email;
    const hash = (await findUserByEmail(stack().auth.db, email))!.password_hash;
    const connection = await Connection.connect({ address: testEnv.temporalAddress() });
    try {
      const history = await new TemporalClient({ connection }).workflow.getHandle(res.workflowId).fetchHistory();
      // Every byte of the history as the server keeps it, payloads included.
      const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
      for (const secret of [password, email, username, hash]) expect(bytes.includes(secret)).toBe(false);
      // ...and the payloads were there to be searched: the codec opens the started event's input.
      const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      expect(input).toHaveLength(1);
      const [opened] = await new EncryptionCodec(testEnv.payloadKeys()).decode(input);
      const text = Buffer.from(opened?.data ?? []).toString();
      for (const value of [email, username]) expect(text).toContain(value);
      // The hash is not even inside the encrypted input: Register stored it, CreateUser took it.
      expect(text).not.toContain(hash);
      expect(text).not.toContain("$2b$");
    } finally {
      await connection.close();
    }
  });
});
