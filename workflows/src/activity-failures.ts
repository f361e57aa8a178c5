import { Code, ConnectError } from "@connectrpc/connect";
import { ApplicationFailure } from "@temporalio/common";
import { FailureType } from "./registration-contract";

// Status codes that mean "this request can never succeed": the saga stops and compensates at once.
// Every other code (UNAVAILABLE, DEADLINE_EXCEEDED, a wrong service credential, INTERNAL...) is an
// infrastructure problem that an operator can fix, so the activity is retried with backoff.
const BUSINESS_FAILURES: Partial<Record<Code, FailureType>> = {
  [Code.InvalidArgument]: FailureType.invalidArgument,
  [Code.AlreadyExists]: FailureType.alreadyExists,
  [Code.NotFound]: FailureType.notFound,
  [Code.PermissionDenied]: FailureType.permissionDenied,
};

export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof ConnectError)) return err;
  const type = BUSINESS_FAILURES[err.code];
  if (type !== undefined) return ApplicationFailure.nonRetryable(err.rawMessage, type);
  return ApplicationFailure.retryable(`${Code[err.code]}: ${err.rawMessage}`, Code[err.code]);
}

// Calls an RPC and turns its ConnectError into the failure Temporal should act on.
export async function callRpc<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
