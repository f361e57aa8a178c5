import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as http2 from "node:http2";
import { connect as tlsConnect } from "node:tls";
import * as os from "node:os";
import * as path from "node:path";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import type { RunningProfileService } from "@flowshield/profile/server";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { tlsFilesIn, type TlsFiles } from "@flowshield/common/runtime/tls-files";
import type { RunningWorker } from "@flowshield/workflows/worker";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { UserStatus } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { GOOD_PASSWORD, OPERATOR_CREDENTIAL, SERVICE_CREDENTIAL, uniqueEmail, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import {
  quietLog,
  startTestProfile,
  startWorker,
  testAuthConfig,
  testMailServer,
  testMailSettings,
  workerActivities,
} from "../support/stack";

// The internal listeners over mutual TLS, with the certificates deploy/pki.sh makes for compose:
// a registration's saga runs over it, and a caller is refused without a certificate, with one of
// another authority (Temporal's, or a stranger's), in plaintext, and with another caller's
// certificate beside its own credential. On the main of 2026-12-05 the internal listeners spoke
// cleartext HTTP/2 to anyone who reached them, and a credential was all a caller needed.

jest.setTimeout(120_000);

const dir = mkdtempSync(path.join(os.tmpdir(), "flowshield-pki-"));
// A party's certificates, from this deployment's authorities or from another's.
const pki = (name: string): TlsFiles => tlsFilesIn(path.join(dir, "pki", name))!;
const strangers = (name: string): TlsFiles => tlsFilesIn(path.join(dir, "strangers", name))!;

let auth: RunningAuthService;
let profile: RunningProfileService;
let worker: RunningWorker;
beforeAll(async () => {
  const script = path.resolve(__dirname, "..", "..", "deploy", "pki.sh");
  execFileSync(script, [path.join(dir, "pki")]);
  execFileSync(script, [path.join(dir, "strangers")]);
  const mail = await testMailServer();
  const config = testAuthConfig({ internalTlsDir: path.join(dir, "pki", "auth-internal"), mail: testMailSettings(mail.url) });
  auth = await startAuthService(config, quietLog);
  profile = await startTestProfile(auth.publicUrl, { internalTlsDir: path.join(dir, "pki", "profile-internal") });
  worker = await startWorker(config.taskQueue, workerActivities({ auth, profile }, mail.url, SERVICE_CREDENTIAL, pki("worker-internal")));
});
afterAll(async () => {
  await worker?.stop();
  await profile?.close();
  await auth?.close();
  rmSync(dir, { recursive: true, force: true });
});

const users = (credential: string, tls?: TlsFiles) => createInternalClient(UserAdminService, auth.internalUrl, credential, tls);
const profiles = (credential: string, tls?: TlsFiles) => createInternalClient(ProfileAdminService, profile.internalUrl, credential, tls);
const someone = "00000000-0000-4000-8000-000000000000";

test("the listeners are https, and a registration's saga runs over mutual TLS to both", async () => {
  expect([auth.internalUrl, profile.internalUrl].map((u) => new URL(u).protocol)).toEqual(["https:", "https:"]);
  const api = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
  const { user } = await api.register({ email: uniqueEmail(), password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Sealed" });
  expect(user?.id).toEqual(expect.any(String));
  // Active: the saga created the profile (profile's internal listener) and activated the user (auth's).
  const { user: done } = await users(OPERATOR_CREDENTIAL, pki("operator-internal")).getUser({ id: user!.id });
  expect(done?.status).toBe(UserStatus.ACTIVE);
});

// What the listener answers a TLS client that opens HTTP/2: "accepted" (its HTTP/2 settings
// arrive), the alert it refused the handshake with, or "closed" (refused after the handshake, which
// TLS 1.3 lets a client finish before the server has checked its certificate).
function handshake(url: string, own: { ca: Buffer; cert?: Buffer; key?: Buffer }): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise<string>((resolve) => {
    const socket = tlsConnect({ host: hostname, port: Number(port), ...own, ALPNProtocols: ["h2"] }, () =>
      socket.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
    );
    const answer = (what: string) => {
      socket.destroy();
      resolve(what);
    };
    socket.once("data", () => answer("accepted"));
    socket.once("error", (err) => answer(err.message));
    socket.once("close", () => answer("closed"));
    setTimeout(() => answer("no answer"), 10_000).unref();
  });
}

test("no certificate, or a certificate of another authority, gets no connection: the credential never reaches a handler", async () => {
  const ca = pki("worker-internal").ca;
  for (const url of [auth.internalUrl, profile.internalUrl]) {
    expect(await handshake(url, { ca })).toMatch(/alert certificate required/);
    // A worker certificate of another deployment's CA; the worker's own, but of Temporal's authority.
    expect(await handshake(url, { ...strangers("worker-internal"), ca })).toMatch(/alert unknown ca|^closed$/);
    expect(await handshake(url, { ...pki("worker-temporal"), ca })).toMatch(/alert unknown ca|^closed$/);
    expect(await handshake(url, pki("worker-internal"))).toBe("accepted");
  }
  // And through a real client with the worker's credential: no answer from a handler (which would
  // be NOT_FOUND for a user nobody has), only the broken connection.
  const outcome = await outcomeOf(users(SERVICE_CREDENTIAL, { ...strangers("worker-internal"), ca }).getUser({ id: someone }));
  expect([outcome.code === "ok", outcome.code === Code.NotFound]).toEqual([false, false]);
});

test("plaintext HTTP/2 to an internal port is not spoken", async () => {
  const url = new URL(auth.internalUrl);
  const session = http2.connect(`http://${url.host}`);
  const failed = await new Promise<boolean>((resolve) => {
    session.once("error", () => resolve(true));
    session.once("close", () => resolve(true));
    const stream = session.request({ ":path": "/flowshield.auth.v1.UserAdminService/GetUser", ":method": "POST" });
    stream.once("response", () => resolve(false));
    stream.once("error", () => resolve(true));
    stream.end();
  });
  session.destroy();
  expect(failed).toBe(true);
});

test("a credential counts only with its own caller's certificate: the worker's with the operator's certificate is refused", async () => {
  // Both certificates come from the internal authority; each names its caller.
  expect(await outcomeOf(users(SERVICE_CREDENTIAL, pki("operator-internal")).getUser({ id: someone }))).toMatchObject({
    code: Code.Unauthenticated,
    message: "the worker credential came with another caller's certificate",
  });
  expect(await outcomeOf(profiles(SERVICE_CREDENTIAL, pki("operator-internal")).deleteProfile({ userId: someone }))).toMatchObject({
    code: Code.Unauthenticated,
    message: "the worker credential came with another caller's certificate",
  });
  expect(await outcomeOf(users(OPERATOR_CREDENTIAL, pki("worker-internal")).listAuditEvents({}))).toMatchObject({
    code: Code.Unauthenticated,
    message: "the operator credential came with another caller's certificate",
  });
  // Each with its own: answered (NOT_FOUND for a user nobody has is an answer).
  expect(await outcomeOf(users(OPERATOR_CREDENTIAL, pki("operator-internal")).listAuditEvents({}))).toEqual({ code: "ok" });
  expect(await outcomeOf(users(SERVICE_CREDENTIAL, pki("worker-internal")).getUser({ id: someone }))).toMatchObject({
    code: Code.NotFound,
  });
});
