import type { DescService } from "@bufbuild/protobuf";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { sendRequestId } from "../observability/request-context";
import { clientTracingInterceptor } from "../observability/rpc-tracing";
import { sendServiceCredential } from "./service-credential";
import type { TlsFiles } from "./tls-files";

// A gRPC (HTTP/2) client of an internal listener, presenting the service credential and the
// request id of the call being served, and the trace it belongs to — over mutual TLS (an https
// URL) when given the caller's certificate and the listener's CA.
export function createInternalClient<S extends DescService>(service: S, baseUrl: string, credential: string, tls?: TlsFiles): Client<S> {
  return createClient(
    service,
    createGrpcTransport({
      baseUrl,
      interceptors: [clientTracingInterceptor(), sendServiceCredential(credential), sendRequestId()],
      ...(tls !== undefined ? { nodeOptions: { ca: tls.ca, cert: tls.cert, key: tls.key } } : {}),
    }),
  );
}
