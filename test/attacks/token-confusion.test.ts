import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import type { RunningProfileService } from "@flowshield/profile/server";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import { GOOD_PASSWORD, SERVICE_CREDENTIAL, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { quietLog, startTestProfile, testAuthConfig } from "../support/stack";
import { createActiveUser } from "../support/users";

// Tokens of another kind, signed by the very key that signs access tokens: the RPCs that take an
// access token must take nothing else. A JWT that is not typed as an access token (at+jwt), and
// one shaped like the OpenID provider's (a client's, no session), are refused by auth and profile
// alike. On the main of 2026-12-05 the profile service took both (it checked neither the type nor
// the session claim).

jest.setTimeout(60_000);

let key: JWK;
let auth: RunningAuthService;
let profile: RunningProfileService;
beforeAll(async () => {
  key = { ...(await exportJWK((await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true })).privateKey)), kid: "k1" };
  auth = await startAuthService(testAuthConfig({ signingKeyJson: JSON.stringify(key) }), quietLog);
  profile = await startTestProfile(auth.publicUrl);
});
afterAll(async () => {
  await profile?.close();
  await auth?.close();
});

// A user with a profile, signed in: a genuine access token to copy claims from.
async function signedIn() {
  const username = uniqueUsername();
  const user = await createActiveUser(auth.internalUrl, ({ id }) =>
    createInternalClient(ProfileAdminService, profile.internalUrl, SERVICE_CREDENTIAL)
      .createProfile({ userId: id, username, displayName: "Owner" })
      .then(() => undefined),
  );
  const api = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
  const { accessToken } = await api.login({ email: user.email, password: GOOD_PASSWORD });
  return { user, username, accessToken, api };
}

async function resigned(token: string, header: Record<string, unknown>, claims: (c: Record<string, unknown>) => Record<string, unknown>) {
  const { alg, kid } = decodeProtectedHeader(token);
  return new SignJWT(claims(decodeJwt(token))).setProtectedHeader({ alg: alg!, kid: kid!, ...header }).sign(await importJWK(key, "EdDSA"));
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

test("the genuine token works, so the refusals below are about the copies", async () => {
  const { accessToken, username, api, user } = await signedIn();
  expect(decodeProtectedHeader(accessToken).typ).toBe("at+jwt");
  expect(await outcomeOf(api.listSessions({}, bearer(accessToken)))).toEqual({ code: "ok" });
  const profiles = createClient(ProfileService, createGrpcTransport({ baseUrl: profile.publicUrl }));
  const update = { profile: { userId: user.id, username, bio: "mine" }, updateMask: { paths: ["bio"] } };
  expect(await outcomeOf(profiles.updateProfile(update, bearer(accessToken)))).toEqual({ code: "ok" });
});

test.each([
  ["typed as a plain JWT", { typ: "JWT" }, (c: Record<string, unknown>) => c],
  [
    "shaped like the provider's (a client's, no session)",
    {},
    ({ sid: _sid, ...c }: Record<string, unknown>) => ({ ...c, client_id: "some-app" }),
  ],
])("a token %s, signed by the same key, is refused by auth and profile", async (_, header, claims) => {
  const { accessToken, username, api, user } = await signedIn();
  const forged = await resigned(accessToken, header, claims);
  expect(await outcomeOf(api.listSessions({}, bearer(forged)))).toMatchObject({ code: Code.Unauthenticated });
  const profiles = createClient(ProfileService, createGrpcTransport({ baseUrl: profile.publicUrl }));
  const update = { profile: { userId: user.id, username, bio: "not mine" }, updateMask: { paths: ["bio"] } };
  expect(await outcomeOf(profiles.updateProfile(update, bearer(forged)))).toMatchObject({ code: Code.Unauthenticated });
});
