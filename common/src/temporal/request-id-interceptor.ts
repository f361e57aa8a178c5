import { defaultPayloadConverter, type Payload } from "@temporalio/common";
import type { WorkflowClientInterceptor } from "@temporalio/client";
import { currentRequestContext } from "../observability/request-context";
import { REQUEST_ID_TEMPORAL_HEADER } from "./request-id-header";

function withRequestId<T extends { headers: Record<string, Payload> }>(input: T): T {
  const context = currentRequestContext();
  if (context === undefined) return input;
  return { ...input, headers: { ...input.headers, [REQUEST_ID_TEMPORAL_HEADER]: defaultPayloadConverter.toPayload(context.requestId) } };
}

// For every Temporal client that starts workflows while serving a call: the workflow inherits the
// call's request id.
export const requestIdClientInterceptor: WorkflowClientInterceptor = {
  start: (input, next) => next(withRequestId(input)),
  startWithDetails: (input, next) => next(withRequestId(input)),
  signalWithStart: (input, next) => next(withRequestId(input)),
};
