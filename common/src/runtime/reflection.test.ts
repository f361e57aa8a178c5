import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import {
  ServerReflection,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from "@flowshield/gen/grpc/reflection/v1/reflection_pb";
import { reflectionRoutes } from "./reflection";

// The reflection answers themselves, in process; test/e2e/reflection.test.ts uses a real client.
const client = createClient(ServerReflection, createRouterTransport(reflectionRoutes([AuthService])));

async function ask(messageRequest: ServerReflectionRequest["messageRequest"]): Promise<ServerReflectionResponse["messageResponse"]> {
  async function* one() {
    yield { messageRequest };
  }
  for await (const res of client.serverReflectionInfo(one())) return res.messageResponse;
  throw new Error("no answer");
}

const fileNames = (answer: ServerReflectionResponse["messageResponse"]) =>
  answer.case === "fileDescriptorResponse"
    ? answer.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b).name)
    : [];

test("a method's file comes with the files it imports", async () => {
  const names = fileNames(await ask({ case: "fileContainingSymbol", value: "flowshield.auth.v1.AuthService.Login" }));
  expect(names).toEqual(
    expect.arrayContaining(["flowshield/auth/v1/auth_service.proto", "flowshield/auth/v1/user.proto", "google/protobuf/timestamp.proto"]),
  );
  expect(fileNames(await ask({ case: "fileContainingSymbol", value: "flowshield.auth.v1.LoginRequest" }))[0]).toBe(
    "flowshield/auth/v1/auth_service.proto",
  );
});

test.each([
  ["fileByFilename", "flowshield/auth/v1/user_admin_service.proto"],
  ["fileContainingSymbol", "flowshield.auth.v1.UserAdminService"],
  ["fileContainingSymbol", "flowshield.auth.v1.AuthService.Nope"],
] as const)("%s %s is NOT_FOUND: not served here", async (question, value) => {
  const answer = await ask({ case: question, value });
  expect(answer.case).toBe("errorResponse");
  expect(answer.case === "errorResponse" && answer.value.errorCode).toBe(5);
});
