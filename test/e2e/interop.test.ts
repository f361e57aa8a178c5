import * as grpc from "@grpc/grpc-js";
import { fromBinary, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { LoginRequestSchema, LoginResponseSchema } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { GetUserRequestSchema, GetUserResponseSchema } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { GetProfileRequestSchema, GetProfileResponseSchema } from "@flowshield/gen/flowshield/profile/v1/profile_service_pb";
import { DeleteProfileRequestSchema, DeleteProfileResponseSchema } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { GOOD_PASSWORD, SERVICE_CREDENTIAL, uniqueEmail, uniqueUsername } from "../support/env";
import { useFullStack } from "../support/stack";

jest.setTimeout(60_000);

// A plain @grpc/grpc-js peer, sharing no transport code with ours, calls each service.

const stack = useFullStack();

function unary<I extends DescMessage, O extends DescMessage>(
  baseUrl: string,
  path: string,
  input: I,
  output: O,
  message: MessageShape<I>,
  metadata = new grpc.Metadata(),
): Promise<{ error: grpc.ServiceError | null; response?: MessageShape<O> }> {
  const client = new grpc.Client(new URL(baseUrl).host, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (m: MessageShape<I>) => Buffer.from(toBinary(input, m)),
      (b: Buffer) => fromBinary(output, b),
      message,
      metadata,
      (error, response) => {
        client.close();
        resolve({ error, response });
      },
    );
  });
}

test("grpc-js calls AuthService, UserAdminService, ProfileService and ProfileAdminService", async () => {
  const email = uniqueEmail();
  const username = uniqueUsername();
  const registered = await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username, displayName: "Interop" });
  const userId = registered.user!.id;

  const login = await unary(stack().auth.publicUrl, "/flowshield.auth.v1.AuthService/Login", LoginRequestSchema, LoginResponseSchema, {
    $typeName: "flowshield.auth.v1.LoginRequest",
    email,
    password: GOOD_PASSWORD,
  });
  expect(login.error).toBeNull();
  expect(login.response?.tokenType).toBe("Bearer");

  const wrong = await unary(stack().auth.publicUrl, "/flowshield.auth.v1.AuthService/Login", LoginRequestSchema, LoginResponseSchema, {
    $typeName: "flowshield.auth.v1.LoginRequest",
    email,
    password: "not the password",
  });
  expect(wrong.error?.code).toBe(grpc.status.UNAUTHENTICATED);

  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${SERVICE_CREDENTIAL}`);
  const user = await unary(
    stack().auth.internalUrl,
    "/flowshield.auth.v1.UserAdminService/GetUser",
    GetUserRequestSchema,
    GetUserResponseSchema,
    { $typeName: "flowshield.auth.v1.GetUserRequest", id: userId },
    metadata,
  );
  expect(user.response?.user?.email).toBe(email);

  const profile = await unary(
    stack().profile.publicUrl,
    "/flowshield.profile.v1.ProfileService/GetProfile",
    GetProfileRequestSchema,
    GetProfileResponseSchema,
    {
      $typeName: "flowshield.profile.v1.GetProfileRequest",
      lookup: { case: "username", value: username },
    },
  );
  expect(profile.response?.profile?.userId).toBe(userId);

  const denied = await unary(
    stack().profile.internalUrl,
    "/flowshield.profile.v1.ProfileAdminService/DeleteProfile",
    DeleteProfileRequestSchema,
    DeleteProfileResponseSchema,
    {
      $typeName: "flowshield.profile.v1.DeleteProfileRequest",
      userId,
    },
  );
  expect(denied.error?.code).toBe(grpc.status.UNAUTHENTICATED);
});
