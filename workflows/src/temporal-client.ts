import { Client, Connection } from "@temporalio/client";
import { encryptedDataConverter, type PayloadKey } from "@flowshield/common/payload-codec";
import { requestIdClientInterceptor } from "./request-context/client-interceptor";

export interface TemporalClientOptions {
  address: string;
  namespace: string;
  payloadKeys: PayloadKey[];
}

export interface TemporalClient {
  client: Client;
  // Resolves when the frontend answers within timeoutMs: a readiness check.
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

// The one Temporal client of a process that starts workflows, owned by its composition root:
// payloads encrypted, the request id of the call being served sent along. The connection is lazy,
// so the process starts, and serves what needs no workflow, while Temporal is down.
export function createTemporalClient(options: TemporalClientOptions): TemporalClient {
  const connection = Connection.lazy({ address: options.address });
  const client = new Client({
    connection,
    namespace: options.namespace,
    dataConverter: encryptedDataConverter(options.payloadKeys),
    interceptors: { workflow: [requestIdClientInterceptor] },
  });
  return {
    client,
    async ping(timeoutMs) {
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    },
    close: () => connection.close(),
  };
}
