import { defaultPayloadConverter } from "@temporalio/common";
import type { ActivityInterceptorsFactory } from "@temporalio/worker";
import { requestIdFrom, runWithRequestContext } from "@flowshield/common/observability/request-context";
import { REQUEST_ID_TEMPORAL_HEADER } from "@flowshield/common/temporal/request-id-header";

// Activity side: an activity runs in the request context of the call that started its workflow,
// so its log lines and the internal RPCs it makes carry that request id.
export const requestIdActivityInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    execute(input, next) {
      const header = input.headers[REQUEST_ID_TEMPORAL_HEADER];
      const given = header === undefined ? undefined : defaultPayloadConverter.fromPayload<string>(header);
      return runWithRequestContext({ requestId: requestIdFrom(given) }, () => next(input));
    },
  },
});
