import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { freePort } from "../../scripts/free-port";
import { OPERATOR_CREDENTIAL, uniqueEmail } from "../support/env";
import { outcomeOf } from "../support/codes";
import { quietLog, testAuthConfig } from "../support/stack";
import { createActiveUser } from "../support/users";

// A client that is not a trusted proxy, sending the headers a proxy would: they are its claims and
// count for nothing. On the main of 2026-12-05 the OpenID provider believed X-Forwarded-Host and
// -Proto from any peer (its discovery document then named the attacker's host).

jest.setTimeout(60_000);

let auth: RunningAuthService;
let base: string;
beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // No proxy is trusted: loopback is a client like any other.
  auth = await startAuthService(testAuthConfig({ publicPort: port, publicUrl: base, trustedProxies: "" }), quietLog);
});
afterAll(async () => {
  await auth?.close();
});

const FORGED = {
  "x-forwarded-proto": "https",
  "x-forwarded-host": "evil.example",
  "x-forwarded-for": "203.0.113.66",
  forwarded: "host=evil.example;proto=https",
};

test("the provider's endpoints and pages ignore forwarded host and scheme from an untrusted peer", async () => {
  const meta = (await (await fetch(`${base}/oidc/.well-known/openid-configuration`, { headers: FORGED })).json()) as Record<string, string>;
  expect(meta.issuer).toBe(`${base}/oidc`);
  expect(meta.token_endpoint).toBe(`${base}/oidc/token`);
  expect(meta.authorization_endpoint).toBe(`${base}/oidc/auth`);
  expect(JSON.stringify(meta)).not.toContain("evil.example");
});

test("a forged X-Forwarded-For neither moves the caller's limits nor its audit trail", async () => {
  const user = await createActiveUser(auth.internalUrl);
  const api = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
  await outcomeOf(api.login({ email: user.email, password: "a wrong password" }, { headers: FORGED }));
  await outcomeOf(api.login({ email: uniqueEmail(), password: "a wrong password" }, { headers: FORGED }));
  const admin = createInternalClient(UserAdminService, auth.internalUrl, OPERATOR_CREDENTIAL);
  const { events } = await admin.listAuditEvents({ userId: user.id, type: "login_failed" });
  expect(events.map((e) => e.ip)).toEqual(["127.0.0.1"]);
});
