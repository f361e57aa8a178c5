import { create, toBinary } from "@bufbuild/protobuf";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import bcrypt from "bcrypt";
import { decodeProtectedHeader, decodeJwt, createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { Writable } from "node:stream";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { createLogger } from "@flowshield/common/observability/logger";
import { MAX_REQUEST_BYTES } from "@flowshield/common/runtime/listener";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { RegisterRequestSchema } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { Health } from "@flowshield/gen/grpc/health/v1/health_pb";
import { BadRequestSchema, ErrorInfoSchema } from "@flowshield/gen/google/rpc/error_details_pb";
import { UserStatus } from "@flowshield/gen/flowshield/auth/v1/user_pb";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { findUserByEmail } from "@flowshield/auth/db";
import { GOOD_PASSWORD, SERVICE_CREDENTIAL, uniqueEmail, uniqueUsername } from "../support/env";
import { Code, outcomeOf } from "../support/codes";
import { testAuthConfig, useFullStack } from "../support/stack";

jest.setTimeout(60_000);

const stack = useFullStack();
const logLines: string[] = [];

describe("AuthService.Register input rules (INVALID_ARGUMENT, naming the field)", () => {
  const valid = () => ({ email: uniqueEmail(), password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Ada" });
  test.each([
    ["email", { email: "not-an-email" }],
    ["email", { email: "" }],
    ["password", { password: "short" }],
    ["password", { password: "password123" }],
    ["password", { password: "a".repeat(73) }],
    ["username", { username: "ab" }],
    ["username", { username: "has-dash" }],
    ["display_name", { displayName: "x".repeat(101) }],
  ])("%s: %j", async (field, change) => {
    const req = { ...valid(), ...change };
    for (const client of [stack().authGrpc, stack().authJson]) {
      const outcome = await outcomeOf(client.register(req));
      expect(outcome.code).toBe(Code.InvalidArgument);
      expect(outcome.message).toMatch(new RegExp(`^${field}: `));
    }
    if (req.email.includes("@")) expect(await findUserByEmail(stack().auth.db, req.email)).toBeUndefined();
  });

  test("an email already registered is ALREADY_EXISTS", async () => {
    const req = valid();
    await stack().authGrpc.register(req);
    const again = await outcomeOf(stack().authGrpc.register({ ...req, username: uniqueUsername() }));
    expect(again).toEqual({ code: Code.AlreadyExists, message: "email is already registered" });
  });
});

describe("AuthService.Login", () => {
  const email = uniqueEmail();
  beforeAll(async () => {
    await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Login" });
  });

  test("issues an EdDSA access token with the contract's claims, verifiable with the JWKS", async () => {
    const res = await stack().authJson.login({ email: email.toUpperCase(), password: GOOD_PASSWORD });
    const header = decodeProtectedHeader(res.accessToken);
    expect(header).toMatchObject({ alg: "EdDSA" });
    const jwks = (await (await fetch(`${stack().auth.publicUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    expect(jwks.keys.map((k) => k.kid)).toContain(header.kid);
    const { payload } = await jwtVerify(res.accessToken, createLocalJWKSet(jwks), {
      issuer: "flowshield-test",
      audience: "flowshield-test",
    });
    const user = await findUserByEmail(stack().auth.db, email);
    expect(payload.sub).toBe(user?.id);
    expect(payload.exp! - payload.iat!).toBe(900);
    expect(typeof payload.jti).toBe("string");
    expect(res.expiresIn).toBe(900n);
  });

  test("a wrong password and an unknown email get the same UNAUTHENTICATED answer", async () => {
    const wrong = await outcomeOf(stack().authGrpc.login({ email, password: "wrong password!" }));
    const unknown = await outcomeOf(stack().authGrpc.login({ email: uniqueEmail(), password: GOOD_PASSWORD }));
    expect(wrong).toEqual({ code: Code.Unauthenticated, message: "wrong email or password" });
    expect(unknown).toEqual(wrong);
  });

  test("a password over 72 bytes is refused, never truncated into a match", async () => {
    const outcome = await outcomeOf(stack().authGrpc.login({ email, password: GOOD_PASSWORD + "x".repeat(72) }));
    expect(outcome.code).toBe(Code.InvalidArgument);
  });

  test("a malformed email is INVALID_ARGUMENT", async () => {
    expect((await outcomeOf(stack().authGrpc.login({ email: "nope", password: GOOD_PASSWORD }))).code).toBe(Code.InvalidArgument);
  });
});

describe("the public listener's HTTP surface", () => {
  test("malformed JSON gets a 400 INVALID_ARGUMENT", async () => {
    const url = `${stack().auth.publicUrl}/flowshield.auth.v1.AuthService/Register`;
    const json = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"email": ' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ code: "invalid_argument" });
  });

  test("malformed protobuf bytes are the caller's error: 400 INVALID_ARGUMENT, and the server goes on serving", async () => {
    const url = `${stack().auth.publicUrl}/flowshield.auth.v1.AuthService/Register`;
    const proto = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: new Uint8Array([0xff, 0xff, 0xff]),
    });
    expect(proto.status).toBe(400);
    expect(await proto.json()).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/^parse binary/) });
    expect((await outcomeOf(stack().authGrpc.login({ email: uniqueEmail(), password: GOOD_PASSWORD }))).code).toBe(Code.Unauthenticated);
  });

  test("an oversized request is refused with RESOURCE_EXHAUSTED", async () => {
    const big = create(RegisterRequestSchema, {
      email: "a@example.com",
      password: "x",
      username: "abc",
      displayName: "y".repeat(MAX_REQUEST_BYTES),
    });
    const res = await fetch(`${stack().auth.publicUrl}/flowshield.auth.v1.AuthService/Register`, {
      method: "POST",
      headers: { "content-type": "application/proto" },
      body: toBinary(RegisterRequestSchema, big),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await outcomeOf(stack().authGrpc.register(big))).code).toBe(Code.ResourceExhausted);
  });

  test("the internal service is not served on the public port", async () => {
    const onPublic = createInternalClient(UserAdminService, stack().auth.publicUrl, SERVICE_CREDENTIAL);
    expect((await outcomeOf(onPublic.getUser({ id: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" }))).code).toBe(Code.Unimplemented);
  });

  test("unknown paths are 404", async () => {
    expect((await fetch(`${stack().auth.publicUrl}/nope`)).status).toBe(404);
  });
});

describe("UserAdminService (internal)", () => {
  const hash = bcrypt.hashSync("some password here", 4);
  const id = () => crypto.randomUUID();

  test("refuses a missing or wrong service credential with UNAUTHENTICATED", async () => {
    const anonymous = createClient(UserAdminService, createGrpcTransport({ baseUrl: stack().auth.internalUrl }));
    const wrong = createInternalClient(UserAdminService, stack().auth.internalUrl, "x".repeat(40));
    for (const client of [anonymous, wrong]) {
      expect(await outcomeOf(client.getUser({ id: id() }))).toEqual({
        code: Code.Unauthenticated,
        message: "missing or wrong service credential",
      });
    }
  });

  test("health is open on both listeners, without a credential", async () => {
    for (const baseUrl of [stack().auth.publicUrl, stack().auth.internalUrl]) {
      const health = createClient(Health, createGrpcTransport({ baseUrl }));
      expect((await health.check({ service: "" })).status).toBe(1);
    }
    const health = createClient(Health, createGrpcTransport({ baseUrl: stack().auth.internalUrl }));
    expect((await health.check({ service: "flowshield.auth.v1.UserAdminService" })).status).toBe(1);
    expect((await outcomeOf(health.check({ service: "flowshield.auth.v1.AuthService" }))).code).toBe(Code.NotFound);
  });

  test("CreateUser is idempotent for the same id and email, and refuses a taken email", async () => {
    const userId = id();
    const email = uniqueEmail();
    const first = await stack().userAdmin.createUser({ id: userId, email, passwordHash: hash });
    const again = await stack().userAdmin.createUser({ id: userId, email, passwordHash: hash });
    expect(again.user).toEqual(first.user);
    // Pending until the saga's last step activates it; activating twice is the same as once.
    expect(first.user?.status).toBe(UserStatus.PENDING);
    expect((await stack().userAdmin.activateUser({ id: userId })).user?.status).toBe(UserStatus.ACTIVE);
    expect((await stack().userAdmin.activateUser({ id: userId })).user?.status).toBe(UserStatus.ACTIVE);
    expect((await outcomeOf(stack().userAdmin.activateUser({ id: id() }))).code).toBe(Code.NotFound);
    expect(await outcomeOf(stack().userAdmin.createUser({ id: id(), email, passwordHash: hash }))).toEqual({
      code: Code.AlreadyExists,
      message: "email is already registered",
    });
    expect((await outcomeOf(stack().userAdmin.createUser({ id: userId, email: uniqueEmail(), passwordHash: hash }))).code).toBe(
      Code.AlreadyExists,
    );
  });

  test("CreateUser without a hash takes the one Register stored for that id, and fails cleanly without one", async () => {
    const outcome = await outcomeOf(stack().userAdmin.createUser({ id: id(), email: uniqueEmail(), passwordHash: "" }));
    expect(outcome.code).toBe(Code.FailedPrecondition);
    const userId = id();
    await stack().auth.db.insertInto("registration_credentials").values({ user_id: userId, password_hash: hash }).execute();
    const made = await stack().userAdmin.createUser({ id: userId, email: uniqueEmail(), passwordHash: "" });
    expect(made.user?.status).toBe(UserStatus.PENDING);
    expect(
      (await stack().auth.db.selectFrom("users").select("password_hash").where("id", "=", userId).executeTakeFirst())?.password_hash,
    ).toBe(hash);
    // Taken: a second registration's saga cannot reuse it.
    expect(await stack().auth.db.selectFrom("registration_credentials").selectAll().where("user_id", "=", userId).execute()).toEqual([]);
  });

  test("CreateUser refuses anything but a bcrypt hash, so a password is never stored", async () => {
    const outcome = await outcomeOf(stack().userAdmin.createUser({ id: id(), email: uniqueEmail(), passwordHash: GOOD_PASSWORD }));
    expect(outcome).toEqual({ code: Code.InvalidArgument, message: "password_hash: must be a bcrypt hash" });
    expect((await outcomeOf(stack().userAdmin.createUser({ id: "x", email: uniqueEmail(), passwordHash: hash }))).message).toMatch(/^id: /);
  });

  test("GetUser finds a user or answers NOT_FOUND; DeleteUser succeeds twice", async () => {
    const userId = id();
    await stack().userAdmin.createUser({ id: userId, email: uniqueEmail(), passwordHash: hash });
    expect((await stack().userAdmin.getUser({ id: userId })).user?.id).toBe(userId);
    await stack().userAdmin.deleteUser({ id: userId });
    await stack().userAdmin.deleteUser({ id: userId });
    expect((await outcomeOf(stack().userAdmin.getUser({ id: userId }))).code).toBe(Code.NotFound);
  });
});

describe("secrets stay out of the logs", () => {
  test("register and login log neither the password, the hash nor the token", async () => {
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logLines.push(String(chunk));
        cb();
      },
    });
    const config = testAuthConfig({ taskQueue: stack().taskQueue });
    const auth: RunningAuthService = await startAuthService(config, createLogger("auth", "trace", sink));
    try {
      const authClient = createClient(
        (await import("@flowshield/gen/flowshield/auth/v1/auth_service_pb")).AuthService,
        createGrpcTransport({ baseUrl: auth.publicUrl }),
      );
      const email = uniqueEmail();
      const password = `logged? ${GOOD_PASSWORD}`;
      await authClient.register({ email, password, username: uniqueUsername(), displayName: "Log" });
      const { accessToken } = await authClient.login({ email, password });
      await outcomeOf(authClient.login({ email, password: "wrong password" }));
      const hash = (await findUserByEmail(auth.db, email))?.password_hash ?? "-";
      const logs = logLines.join("");
      expect(logs).toContain("AuthService/Login"); // the calls were logged
      for (const secret of [password, hash, accessToken, SERVICE_CREDENTIAL]) expect(logs).not.toContain(secret);
      expect(decodeJwt(accessToken).sub).toBeDefined();
    } finally {
      await auth.close();
    }
  });
});

describe("errors carry structured details (google.rpc.ErrorInfo, BadRequest), over gRPC and Connect JSON", () => {
  async function detailsOf(call: Promise<unknown>) {
    const err = ConnectError.from(
      await call.then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    return { code: err.code, info: err.findDetails(ErrorInfoSchema)[0], badRequest: err.findDetails(BadRequestSchema)[0] };
  }

  test("a malformed field names itself in BadRequest and ErrorInfo", async () => {
    for (const client of [stack().authGrpc, stack().authJson]) {
      const { code, info, badRequest } = await detailsOf(
        client.register({ email: "nope", password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "x" }),
      );
      expect(code).toBe(Code.InvalidArgument);
      expect(info).toMatchObject({ reason: "INVALID_FIELD", domain: "flowshield", metadata: { field: "email" } });
      expect(badRequest?.fieldViolations).toEqual([expect.objectContaining({ field: "email", description: "is not an email address" })]);
    }
  });

  test("a taken username keeps the profile service's reason through the saga", async () => {
    const username = uniqueUsername();
    await stack().authGrpc.register({ email: uniqueEmail(), password: GOOD_PASSWORD, username, displayName: "First" });
    const { code, info } = await detailsOf(
      stack().authGrpc.register({ email: uniqueEmail(), password: GOOD_PASSWORD, username, displayName: "Second" }),
    );
    expect(code).toBe(Code.AlreadyExists);
    expect(info).toMatchObject({ reason: "USERNAME_TAKEN", metadata: { field: "username" } });
  });

  test("wrong credentials and a missing service credential have reasons of their own", async () => {
    expect((await detailsOf(stack().authGrpc.login({ email: uniqueEmail(), password: GOOD_PASSWORD }))).info?.reason).toBe(
      "WRONG_CREDENTIALS",
    );
    const anonymous = createClient(UserAdminService, createGrpcTransport({ baseUrl: stack().auth.internalUrl }));
    expect((await detailsOf(anonymous.getUser({ id: crypto.randomUUID() }))).info?.reason).toBe("SERVICE_CREDENTIAL_REQUIRED");
  });
});
