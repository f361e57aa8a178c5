import { randomBytes, randomUUID } from "node:crypto";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from "jose";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileService } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import type { AuthConfig } from "@flowshield/auth/config";
import { freePort } from "../../scripts/free-port";
import { Code, outcomeOf } from "../support/codes";
import { GOOD_PASSWORD, SERVICE_CREDENTIAL } from "../support/env";
import {
  quietLog,
  startTestProfile,
  startWorker,
  testAuthConfig,
  testMailServer,
  testMailSettings,
  workerActivities,
} from "../support/stack";
import { registerOnce } from "../support/registrations";
import { createActiveUser } from "../support/users";

// Rotating secrets without downtime, as deploy/README.md's runbook does it: each step is a
// restart with new configuration, and between the steps nothing a caller holds stops working.

jest.setTimeout(90_000);

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe("the service credential", () => {
  const NEW = randomBytes(32).toString("base64url");

  test("services that accept the new and the previous one serve a worker holding either, then drop the previous", async () => {
    const mail = await testMailServer();
    const config = testAuthConfig({
      serviceCredential: NEW,
      previousServiceCredential: SERVICE_CREDENTIAL,
      mail: testMailSettings(mail.url),
    });
    const auth = await startAuthService(config, quietLog);
    const profile = await startTestProfile(auth.publicUrl, { serviceCredential: NEW, previousServiceCredential: SERVICE_CREDENTIAL });
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
    try {
      // Step 1 done (the services take both): the worker still on the previous credential, then
      // (step 2) on the new one — registrations go through with either.
      for (const credential of [SERVICE_CREDENTIAL, NEW]) {
        const activities = workerActivities({ auth, profile }, mail.url, credential);
        const worker = await startWorker(config.taskQueue, activities);
        try {
          expect([credential === NEW ? "new" : "previous", (await registerOnce(client)).outcome]).toEqual([
            credential === NEW ? "new" : "previous",
            "ok",
          ]);
        } finally {
          await worker.stop();
        }
      }
      const wrong = createInternalClient(UserAdminService, auth.internalUrl, randomBytes(32).toString("base64url"));
      expect((await outcomeOf(wrong.getUser({ id: randomUUID() }))).code).toBe(Code.Unauthenticated);
    } finally {
      await profile.close();
      await auth.close();
    }
    // Step 3: the previous one dropped; it is refused, the new one served.
    const after = await startAuthService(testAuthConfig({ serviceCredential: NEW }), quietLog);
    try {
      const previous = createInternalClient(UserAdminService, after.internalUrl, SERVICE_CREDENTIAL);
      expect((await outcomeOf(previous.getUser({ id: randomUUID() }))).code).toBe(Code.Unauthenticated);
      const current = createInternalClient(UserAdminService, after.internalUrl, NEW);
      expect((await outcomeOf(current.getUser({ id: randomUUID() }))).code).toBe(Code.NotFound);
    } finally {
      await after.close();
    }
  });
});

describe("the signing key: published ahead, switched, retired", () => {
  const privateJwk = async (): Promise<JWK> =>
    exportJWK((await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true })).privateKey);

  test("tokens signed by the old key verify everywhere until it is retired; verifiers knew the new key before its first token", async () => {
    const [oldKey, newKey] = [await privateJwk(), await privateJwk()];
    const publicPort = await freePort();
    let auth: RunningAuthService | undefined;
    const restartAuth = async (keys: JWK[]) => {
      await auth?.close();
      const overrides: Partial<AuthConfig> = { publicPort, signingKeyJson: JSON.stringify({ keys }) };
      auth = await startAuthService(testAuthConfig(overrides), quietLog);
      return auth;
    };
    const authClient = (a: RunningAuthService) => createClient(AuthService, createGrpcTransport({ baseUrl: a.publicUrl }));
    const kids = async (a: RunningAuthService) =>
      ((await (await fetch(`${a.publicUrl}/.well-known/jwks.json`)).json()) as { keys: JWK[] }).keys.map((k) => k.kid);
    const login = async (a: RunningAuthService, email: string) =>
      (await authClient(a).login({ email, password: GOOD_PASSWORD })).accessToken;
    const kidOf = (token: string) => decodeProtectedHeader(token).kid;

    try {
      let running = await restartAuth([oldKey]);
      const user = await createActiveUser(running.internalUrl);
      const oldToken = await login(running, user.email);
      const oldKid = kidOf(oldToken);

      // Step 1: the new key published second. Tokens are still signed by the old one.
      running = await restartAuth([oldKey, newKey]);
      const published = await kids(running);
      expect(published.length).toBe(3); // the two Ed25519 keys, and the RSA key of ID tokens
      // The OpenID provider publishes the same set.
      const discovery = (await (await fetch(`${running.publicUrl}/oidc/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
      const providerKids = ((await (await fetch(discovery.jwks_uri)).json()) as { keys: JWK[] }).keys.map((k) => k.kid);
      expect(providerKids.sort()).toEqual([...published].sort());
      expect(kidOf(await login(running, user.email))).toBe(oldKid);
      // A verifier that fetches the keys now (the profile service, on its first token) has both.
      const profile = await startTestProfile(running.publicUrl);
      const profiles = createClient(ProfileService, createGrpcTransport({ baseUrl: profile.publicUrl }));
      // Accepted (no profile was made for this user: NOT_FOUND, after the token passed).
      const update = (token: string) =>
        outcomeOf(profiles.updateProfile({ profile: { userId: user.id, bio: "x" }, updateMask: { paths: ["bio"] } }, bearer(token)));
      try {
        expect((await update(oldToken)).code).toBe(Code.NotFound);

        // Step 2: the new key first. New tokens are signed by it; the old token still verifies at
        // auth and at profile — which verifies the new one with the keys it already had.
        running = await restartAuth([newKey, oldKey]);
        const newToken = await login(running, user.email);
        expect(kidOf(newToken)).not.toBe(oldKid);
        expect(await kids(running)).toEqual(expect.arrayContaining(published));
        for (const token of [oldToken, newToken]) {
          expect((await outcomeOf(authClient(running).listSessions({}, bearer(token)))).code).toBe("ok");
          expect((await update(token)).code).toBe(Code.NotFound);
        }

        // Step 3, once the old key's last token has expired (15 minutes): retired.
        running = await restartAuth([newKey]);
        expect(await kids(running)).not.toContain(oldKid);
        expect((await outcomeOf(authClient(running).listSessions({}, bearer(oldToken)))).code).toBe(Code.Unauthenticated);
        expect((await outcomeOf(authClient(running).listSessions({}, bearer(newToken)))).code).toBe("ok");
      } finally {
        await profile.close();
      }
    } finally {
      await auth?.close();
    }
  });

  test("a key set that is not one says so without showing the key", async () => {
    const key = await privateJwk();
    const { d: _d, ...publicOnly } = key;
    for (const [json, message] of [
      [JSON.stringify({ keys: [] }), "the signing key set has no key"],
      [JSON.stringify({ keys: [key, publicOnly] }), "the signing key (key 2 of the set) must be a private Ed25519 JWK (kty OKP, with d)"],
      [`${JSON.stringify(key)}x`, "the signing key is not valid JSON"],
    ] as const) {
      const failed = await startAuthService(testAuthConfig({ signingKeyJson: json }), quietLog).then(
        async (a) => {
          await a.close();
          return "started";
        },
        (err: Error) => err.message,
      );
      expect(failed).toBe(message);
      expect(failed).not.toContain(key.d);
    }
  });
});
