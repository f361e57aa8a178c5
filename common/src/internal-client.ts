import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { sendRequestId } from "./request-context";
import { clientTracingInterceptor } from "./rpc-tracing";
import { sendServiceCredential } from "./service-credential";

// A gRPC (HTTP/2) client of an internal listener, presenting the service credential and the
// request id of the call being served, and the trace it belongs to.
export function createInternalClient<S extends DescService>(service: S, baseUrl: string, credential: string): Client<S> {
  return createClient(
    service,
    createGrpcTransport({ baseUrl, interceptors: [clientTracingInterceptor(), sendServiceCredential(credential), sendRequestId()] }),
  );
}
