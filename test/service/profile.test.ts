import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { SignJWT, generateKeyPair } from "jose";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { GOOD_PASSWORD, uniqueEmail, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { useFullStack } from "../support/stack";

jest.setTimeout(60_000);

const stack = useFullStack();

async function registeredUser(): Promise<{ userId: string; username: string; token: string }> {
  const email = uniqueEmail();
  const username = uniqueUsername();
  const res = await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username, displayName: "Grace" });
  const { accessToken } = await stack().authGrpc.login({ email, password: GOOD_PASSWORD });
  return { userId: res.user!.id, username, token: accessToken };
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe("ProfileService.GetProfile", () => {
  test("finds a profile by user id and by username in any case, over gRPC and Connect JSON", async () => {
    const { userId, username } = await registeredUser();
    for (const client of [stack().profileGrpc, stack().profileJson]) {
      expect((await client.getProfile({ lookup: { case: "userId", value: userId } })).profile?.username).toBe(username);
      expect((await client.getProfile({ lookup: { case: "username", value: username.toUpperCase() } })).profile?.userId).toBe(userId);
    }
  });

  test("answers NOT_FOUND for nobody and INVALID_ARGUMENT for a missing or malformed lookup", async () => {
    expect((await outcomeOf(stack().profileGrpc.getProfile({ lookup: { case: "username", value: "nobody_here" } }))).code).toBe(
      Code.NotFound,
    );
    expect(await outcomeOf(stack().profileGrpc.getProfile({}))).toEqual({
      code: Code.InvalidArgument,
      message: "lookup: give user_id or username",
    });
    expect((await outcomeOf(stack().profileGrpc.getProfile({ lookup: { case: "userId", value: "42" } }))).message).toMatch(/^user_id: /);
    expect((await outcomeOf(stack().profileGrpc.getProfile({ lookup: { case: "username", value: "no way" } }))).message).toMatch(
      /^username: /,
    );
  });
});

describe("ProfileService.UpdateProfile", () => {
  test("updates the masked fields with the user's own token", async () => {
    const { userId, token } = await registeredUser();
    const res = await stack().profileJson.updateProfile(
      { profile: { userId, bio: "Wrote the first compiler", displayName: "ignored" }, updateMask: { paths: ["bio"] } },
      bearer(token),
    );
    expect(res.profile?.bio).toBe("Wrote the first compiler");
    expect(res.profile?.displayName).toBe("Grace");
    const read = await stack().profileGrpc.getProfile({ lookup: { case: "userId", value: userId } });
    expect(read.profile?.bio).toBe("Wrote the first compiler");
  });

  test("refuses no token, a forged token and a stranger's token", async () => {
    const { userId } = await registeredUser();
    const stranger = await registeredUser();
    const req = { profile: { userId, bio: "hacked" }, updateMask: { paths: ["bio"] } };
    expect((await outcomeOf(stack().profileGrpc.updateProfile(req))).code).toBe(Code.Unauthenticated);
    expect((await outcomeOf(stack().profileGrpc.updateProfile(req, bearer("not.a.jwt")))).code).toBe(Code.Unauthenticated);

    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: "EdDSA", kid: "forged" })
      .setIssuer("flowshield-test")
      .setAudience("flowshield-test")
      .setSubject(userId)
      .setIssuedAt()
      .setExpirationTime("5m")
      .setJti("x")
      .sign(privateKey);
    expect((await outcomeOf(stack().profileGrpc.updateProfile(req, bearer(forged)))).code).toBe(Code.Unauthenticated);

    expect(await outcomeOf(stack().profileGrpc.updateProfile(req, bearer(stranger.token)))).toEqual({
      code: Code.PermissionDenied,
      message: "a profile can be updated only by its own user",
    });
    expect((await stack().profileGrpc.getProfile({ lookup: { case: "userId", value: userId } })).profile?.bio).toBe("");
  });

  test("refuses a bad mask or value with INVALID_ARGUMENT naming the field", async () => {
    const { userId, token } = await registeredUser();
    const cases: Array<[object, string]> = [
      [{ profile: { userId, bio: "x" } }, "update_mask"],
      [{ profile: { userId, username: "new_name" }, updateMask: { paths: ["username"] } }, "update_mask"],
      [{ profile: { userId, bio: "x".repeat(501) }, updateMask: { paths: ["bio"] } }, "profile.bio"],
      [{ profile: { userId, displayName: "x".repeat(101) }, updateMask: { paths: ["display_name"] } }, "profile.display_name"],
      [{ updateMask: { paths: ["bio"] } }, "profile"],
    ];
    for (const [req, field] of cases) {
      const outcome = await outcomeOf(stack().profileGrpc.updateProfile(req, bearer(token)));
      expect(outcome.code).toBe(Code.InvalidArgument);
      expect(outcome.message?.startsWith(`${field}: `)).toBe(true);
    }
  });
});

describe("ProfileAdminService (internal)", () => {
  test("refuses callers without the service credential", async () => {
    const anonymous = createClient(ProfileAdminService, createGrpcTransport({ baseUrl: stack().profile.internalUrl }));
    const wrong = createInternalClient(ProfileAdminService, stack().profile.internalUrl, "y".repeat(40));
    for (const client of [anonymous, wrong]) {
      expect((await outcomeOf(client.deleteProfile({ userId: crypto.randomUUID() }))).code).toBe(Code.Unauthenticated);
    }
  });

  test("CreateProfile is idempotent, refuses a taken username in any case, and DeleteProfile succeeds twice", async () => {
    const userId = crypto.randomUUID();
    const username = uniqueUsername();
    const first = await stack().profileAdmin.createProfile({ userId, username, displayName: "Ada" });
    const again = await stack().profileAdmin.createProfile({ userId, username, displayName: "Ada" });
    expect(again.profile).toEqual(first.profile);
    expect(
      await outcomeOf(
        stack().profileAdmin.createProfile({ userId: crypto.randomUUID(), username: username.toUpperCase(), displayName: "B" }),
      ),
    ).toEqual({
      code: Code.AlreadyExists,
      message: "username is taken",
    });
    expect((await outcomeOf(stack().profileAdmin.createProfile({ userId, username: uniqueUsername(), displayName: "C" }))).code).toBe(
      Code.AlreadyExists,
    );
    await stack().profileAdmin.deleteProfile({ userId });
    await stack().profileAdmin.deleteProfile({ userId });
    expect((await outcomeOf(stack().profileGrpc.getProfile({ lookup: { case: "userId", value: userId } }))).code).toBe(Code.NotFound);
  });

  test("CreateProfile checks its input", async () => {
    expect((await outcomeOf(stack().profileAdmin.createProfile({ userId: "nope", username: "abc", displayName: "" }))).message).toMatch(
      /^user_id: /,
    );
    expect(
      (await outcomeOf(stack().profileAdmin.createProfile({ userId: crypto.randomUUID(), username: "a", displayName: "" }))).message,
    ).toMatch(/^username: /);
  });
});
