import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as oauth from "openid-client";
import type { RunningAuthService } from "@flowshield/auth/server";
import { consumeOidcPayload, findOidcPayload, upsertOidcPayload } from "@flowshield/auth/db";
import { OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { uniqueSuffix } from "../support/env";
import { registerClient, startProvider } from "../support/provider";
import { discoverProvider } from "../support/oidc-browser";

// The OpenID provider mounted in the auth service (oidc-provider under /oidc), called over HTTP
// by a real relying party library (openid-client v6) and by hand where the wire matters.

jest.setTimeout(60_000);

const RESOURCE = "https://api.flowshield.test";
let auth: RunningAuthService;
let base: string;
let service: { clientId: string; clientSecret: string };

beforeAll(async () => {
  // Behind a TLS proxy on loopback: its X-Forwarded-* headers are believed.
  ({ auth, base } = await startProvider({ oidcResourceServers: [RESOURCE], trustedProxies: "127.0.0.1, ::1" }));
  service = await registerClient(auth, {
    name: `service-${uniqueSuffix()}`,
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes: [OAuthGrantType.CLIENT_CREDENTIALS],
    resources: [RESOURCE],
  });
});
afterAll(async () => {
  await auth?.close();
});

const discover = (clientId: string, secret?: string) => discoverProvider(`${base}/oidc`, clientId, secret);

describe("discovery and keys", () => {
  test("discovery names the issuer, the endpoints under it, and only what is turned on", async () => {
    const res = await fetch(`${base}/oidc/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const meta = (await res.json()) as Record<string, unknown>;
    expect(meta.issuer).toBe(`${base}/oidc`);
    for (const endpoint of [
      "authorization_endpoint",
      "token_endpoint",
      "jwks_uri",
      "userinfo_endpoint",
      "introspection_endpoint",
      "revocation_endpoint",
      "end_session_endpoint",
    ])
      expect([endpoint, String(meta[endpoint]).startsWith(`${base}/oidc/`)]).toEqual([endpoint, true]);
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    // DPoP and pushed authorization requests are off (the library turns them on by default).
    expect(meta.pushed_authorization_request_endpoint).toBeUndefined();
    expect(meta.dpop_signing_alg_values_supported).toBeUndefined();
    expect((await fetch(`${base}/oidc/request`, { method: "POST" })).status).toBe(404);
    expect(meta.response_types_supported).toEqual(["code"]);
    expect(meta.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]));
    expect(meta.grant_types_supported).not.toContain("implicit");
    expect(meta.grant_types_supported).not.toContain("urn:ietf:params:oauth:grant-type:device_code");
    expect(meta.registration_endpoint).toBeUndefined();
    expect(meta.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(["RS256", "EdDSA"]));
  });

  test("behind a TLS proxy the endpoints are advertised as https", async () => {
    const res = await fetch(`${base}/oidc/.well-known/openid-configuration`, {
      headers: { "x-forwarded-proto": "https", "x-forwarded-host": "id.example.com" },
    });
    const meta = (await res.json()) as { token_endpoint: string };
    expect(meta.token_endpoint).toBe("https://id.example.com/oidc/token");
  });

  test("the provider's JWKS and /.well-known/jwks.json publish the same public keys: Ed25519 and RSA", async () => {
    const provider = (await (await fetch(`${base}/oidc/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    const service = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: Array<Record<string, unknown>> };
    const summary = (keys: Array<Record<string, unknown>>) => keys.map((k) => `${String(k.kty)} ${String(k.kid)}`).sort();
    expect(summary(provider.keys)).toEqual(summary(service.keys));
    expect(service.keys.map((k) => k.alg).sort()).toEqual(["EdDSA", "RS256"]);
    for (const key of [...provider.keys, ...service.keys])
      for (const part of ["d", "p", "q", "dp", "dq", "qi"]) expect(key[part]).toBeUndefined();
  });

  test("paths outside the provider's own are its 404, and the Connect routes beside it still answer", async () => {
    expect((await fetch(`${base}/oidc/nothing-here`)).status).toBe(404);
    const rpc = await fetch(`${base}/flowshield.auth.v1.AuthService/Login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "", password: "" }),
    });
    expect(rpc.status).toBe(400);
  });
});

describe("client credentials", () => {
  test("a confidential client gets a JWT access token for a resource server, signed EdDSA, typed at+jwt", async () => {
    const config = await discover(service.clientId, service.clientSecret);
    const tokens = await oauth.clientCredentialsGrant(config, { resource: RESOURCE });
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ alg: "EdDSA", typ: "at+jwt" });
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(`${base}/oidc/jwks`)), {
      issuer: `${base}/oidc`,
      audience: RESOURCE,
      typ: "at+jwt",
    });
    expect(payload.client_id).toBe(service.clientId);
  });

  test("a wrong secret is invalid_client; an unknown resource server is invalid_target", async () => {
    const wrong = await discover(service.clientId, "not-the-secret");
    // A 401 whose WWW-Authenticate challenge names the error.
    await expect(oauth.clientCredentialsGrant(wrong, { resource: RESOURCE })).rejects.toMatchObject({
      status: 401,
      cause: [expect.objectContaining({ parameters: expect.objectContaining({ error: "invalid_client" }) })],
    });
    const config = await discover(service.clientId, service.clientSecret);
    await expect(oauth.clientCredentialsGrant(config, { resource: "https://elsewhere.example" })).rejects.toMatchObject({
      error: "invalid_target",
    });
  });

  test("the stored client holds a hash of its secret, never the secret", async () => {
    const stored = await findOidcPayload(auth.db, "Client", "id", service.clientId);
    expect(JSON.stringify(stored)).not.toContain(service.clientSecret);
    expect(stored?.payload.client_secret).toMatch(/^sha256:/);
  });

  test("introspection answers inactive for a token it never issued; revocation of one is OK (RFC 7009)", async () => {
    const config = await discover(service.clientId, service.clientSecret);
    expect(await oauth.tokenIntrospection(config, "never-issued")).toMatchObject({ active: false });
    await expect(oauth.tokenRevocation(config, "never-issued")).resolves.toBeUndefined();
  });
});

describe("storage", () => {
  test("of 20 concurrent consumptions of one refresh token exactly one wins, and the row says consumed", async () => {
    const id = `rt-${uniqueSuffix()}`;
    await upsertOidcPayload(
      auth.db,
      "RefreshToken",
      id,
      { jti: id, grantId: `g-${uniqueSuffix()}`, kind: "RefreshToken" },
      new Date(Date.now() + 60_000),
    );
    const wins = await Promise.all(Array.from({ length: 20 }, () => consumeOidcPayload(auth.db, "RefreshToken", id)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await findOidcPayload(auth.db, "RefreshToken", "id", id))?.consumeTime).toEqual(expect.any(Date));
  });

  test("an expired row is not found", async () => {
    const id = `ac-${uniqueSuffix()}`;
    await upsertOidcPayload(auth.db, "AuthorizationCode", id, { jti: id }, new Date(Date.now() - 1_000));
    expect(await findOidcPayload(auth.db, "AuthorizationCode", "id", id)).toBeUndefined();
  });
});
