import { Client, Connection } from "@temporalio/client";
import { OpenTelemetryWorkflowClientInterceptor } from "@temporalio/interceptors-opentelemetry/lib/client";
import { encryptedDataConverter, type PayloadKey } from "@flowshield/common/temporal/payload-codec";
import { temporalTls } from "./tls";
import { requestIdClientInterceptor } from "./request-id-interceptor";

export interface TemporalClientOptions {
  address: string;
  namespace: string;
  payloadKeys: PayloadKey[];
  // Mutual TLS to the frontend (TEMPORAL_TLS_DIR).
  tlsDir?: string | undefined;
}

export interface TemporalClient {
  client: Client;
  // Runs calls on the client such that close() waits for them (see close()).
  track<T>(calls: () => Promise<T>): Promise<T>;
  // Resolves when the frontend answers within timeoutMs: a readiness check.
  ping(timeoutMs: number): Promise<void>;
  // Closes the connection once the calls under way have settled. The SDK retries a failed call
  // on a timer of its own, which throws ("Channel has been shut down") and ends the process if
  // the connection was closed in between; every call of ours has a deadline, so this wait ends.
  close(): Promise<void>;
}

// The one Temporal client of a process that starts workflows, owned by its composition root:
// payloads encrypted, the request id of the call being served and its trace sent along. The connection is lazy,
// so the process starts, and serves what needs no workflow, while Temporal is down.
export function createTemporalClient(options: TemporalClientOptions): TemporalClient {
  const connection = Connection.lazy({ address: options.address, ...temporalTls(options.tlsDir) });
  const client = new Client({
    connection,
    namespace: options.namespace,
    dataConverter: encryptedDataConverter(options.payloadKeys),
    interceptors: { workflow: [requestIdClientInterceptor, new OpenTelemetryWorkflowClientInterceptor()] },
  });
  const underWay = new Set<Promise<unknown>>();
  const track = <T>(calls: () => Promise<T>): Promise<T> => {
    const call = calls();
    underWay.add(call);
    const forget = () => underWay.delete(call);
    call.then(forget, forget);
    return call;
  };
  return {
    client,
    track,
    async ping(timeoutMs) {
      await track(() => connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({})));
    },
    async close() {
      await Promise.allSettled([...underWay]);
      await connection.close();
    },
  };
}
