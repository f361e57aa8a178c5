import { create, createRegistry, fromBinary, toBinary, type DescFile, type DescService, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import * as v1 from "@flowshield/gen/grpc/reflection/v1/reflection_pb";
import * as v1alpha from "@flowshield/gen/grpc/reflection/v1alpha/reflection_pb";

// gRPC server reflection (grpc.reflection.v1, and v1alpha, which older tools still ask for), so
// that grpcurl, `buf curl` without --schema, Postman and grpcui discover a listener's API.
// connect-es has none (connectrpc/connect-es#507). Each listener describes only what it serves:
// the public listener's reflection never mentions the internal services.

type Request = v1.ServerReflectionRequest;
type Response = v1.ServerReflectionResponse;

// The given files with every file they import, transitively, by name.
function filesOf(roots: DescFile[]): Map<string, DescFile> {
  const files = new Map<string, DescFile>();
  const visit = (file: DescFile) => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    file.dependencies.forEach(visit);
  };
  roots.forEach(visit);
  return files;
}

// A file and every file it imports, transitively, as serialized FileDescriptorProtos.
function withDependencies(file: DescFile): Uint8Array[] {
  return [...filesOf([file]).values()].map((f) => toBinary(FileDescriptorProtoSchema, f.proto));
}

function symbolFile(registry: Registry, symbol: string): DescFile | undefined {
  const found = registry.get(symbol);
  if (found !== undefined) return found.file;
  // A method: "package.Service.Method".
  const service = registry.get(symbol.slice(0, symbol.lastIndexOf(".")));
  return service?.kind === "service" && service.methods.some((m) => symbol.endsWith(`.${m.name}`)) ? service.file : undefined;
}

function answerReflection(services: DescService[], registry: Registry, files: Map<string, DescFile>, req: Request): Response {
  const error = (errorCode: Code, errorMessage: string): Response["messageResponse"] => ({
    case: "errorResponse",
    value: create(v1.ErrorResponseSchema, { errorCode, errorMessage }),
  });
  const fileResponse = (file: DescFile | undefined, what: string): Response["messageResponse"] =>
    file === undefined
      ? error(Code.NotFound, `${what} not found`)
      : { case: "fileDescriptorResponse", value: create(v1.FileDescriptorResponseSchema, { fileDescriptorProto: withDependencies(file) }) };
  const ask = req.messageRequest;
  let messageResponse: Response["messageResponse"];
  switch (ask.case) {
    case "listServices":
      messageResponse = {
        case: "listServicesResponse",
        value: create(v1.ListServiceResponseSchema, { service: services.map((s) => ({ name: s.typeName })) }),
      };
      break;
    case "fileByFilename":
      messageResponse = fileResponse(files.get(ask.value), `file "${ask.value}"`);
      break;
    case "fileContainingSymbol":
      messageResponse = fileResponse(symbolFile(registry, ask.value), `symbol "${ask.value}"`);
      break;
    // Our APIs declare no extensions.
    case "fileContainingExtension":
      messageResponse = error(Code.NotFound, `extension ${ask.value.extensionNumber} of "${ask.value.containingType}" not found`);
      break;
    case "allExtensionNumbersOfType":
      messageResponse =
        registry.getMessage(ask.value) === undefined
          ? error(Code.NotFound, `type "${ask.value}" not found`)
          : { case: "allExtensionNumbersResponse", value: create(v1.ExtensionNumberResponseSchema, { baseTypeName: ask.value }) };
      break;
    default:
      messageResponse = error(Code.InvalidArgument, "the request names no question");
  }
  return create(v1.ServerReflectionResponseSchema, { validHost: req.host, originalRequest: req, messageResponse });
}

// Both reflection versions for a listener's services (its health and reflection services too).
export function reflectionRoutes(services: DescService[]) {
  const described = [...services, v1.ServerReflection];
  const files = filesOf(described.map((s) => s.file));
  const registry = createRegistry(...files.values());
  const answer = (req: Request) => answerReflection(described, registry, files, req);
  return (router: ConnectRouter) => {
    router.service(v1.ServerReflection, {
      async *serverReflectionInfo(requests) {
        for await (const req of requests) yield answer(req);
      },
    });
    // v1alpha's messages are v1's under another package, field for field: translate on the wire.
    router.service(v1alpha.ServerReflection, {
      async *serverReflectionInfo(requests) {
        for await (const req of requests) {
          const asV1 = fromBinary(v1.ServerReflectionRequestSchema, toBinary(v1alpha.ServerReflectionRequestSchema, req));
          yield fromBinary(v1alpha.ServerReflectionResponseSchema, toBinary(v1.ServerReflectionResponseSchema, answer(asV1)));
        }
      },
    });
  };
}
