import type { Payload } from "@temporalio/common";
import type {
  Next,
  WorkflowExecuteInput,
  WorkflowInboundCallsInterceptor,
  WorkflowInterceptorsFactory,
  WorkflowOutboundCallsInterceptor,
} from "@temporalio/workflow";
import { REQUEST_ID_TEMPORAL_HEADER } from "@flowshield/common/temporal/request-id-header";

// Workflow side (bundled with the workflows): the request id header the workflow was started with
// goes on every activity, local activity and child workflow it schedules. One instance per run.
class RequestIdPropagation implements WorkflowInboundCallsInterceptor, WorkflowOutboundCallsInterceptor {
  private header: Record<string, Payload> = {};

  execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, "execute">): Promise<unknown> {
    const requestId = input.headers[REQUEST_ID_TEMPORAL_HEADER];
    if (requestId !== undefined) this.header = { [REQUEST_ID_TEMPORAL_HEADER]: requestId };
    return next(input);
  }

  scheduleActivity: WorkflowOutboundCallsInterceptor["scheduleActivity"] = (input, next) =>
    next({ ...input, headers: { ...input.headers, ...this.header } });
  scheduleLocalActivity: WorkflowOutboundCallsInterceptor["scheduleLocalActivity"] = (input, next) =>
    next({ ...input, headers: { ...input.headers, ...this.header } });
  startChildWorkflowExecution: WorkflowOutboundCallsInterceptor["startChildWorkflowExecution"] = (input, next) =>
    next({ ...input, headers: { ...input.headers, ...this.header } });
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  const propagation = new RequestIdPropagation();
  return { inbound: [propagation], outbound: [propagation] };
};
