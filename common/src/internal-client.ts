import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { sendRequestId } from "./request-context";
import { sendServiceCredential } from "./service-credential";

// A gRPC (HTTP/2) client of an internal listener, presenting the service credential and the
// request id of the call being served.
export function createInternalClient<S extends DescService>(service: S, baseUrl: string, credential: string): Client<S> {
  return createClient(service, createGrpcTransport({ baseUrl, interceptors: [sendServiceCredential(credential), sendRequestId()] }));
}
