import { randomUUID } from "node:crypto";
import { createContextKey, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "./logger";

// The per-call logger, carrying the call's request id, for handlers that want to log.
export const requestLogger = createContextKey<Logger | undefined>(undefined);

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

// One log line per call: method, code, duration and a request id (the caller's x-request-id when
// it is well-formed, else a new one, echoed back in the response). Messages are never logged:
// they carry passwords and tokens.
export function requestLogInterceptor(log: Logger): Interceptor {
  return (next) => async (req) => {
    const given = req.header.get("x-request-id");
    const requestId = given !== null && REQUEST_ID.test(given) ? given : randomUUID();
    const callLog = log.child({ requestId, method: `${req.service.typeName}/${req.method.name}` });
    req.contextValues.set(requestLogger, callLog);
    const started = performance.now();
    try {
      const res = await next(req);
      res.header.set("x-request-id", requestId);
      callLog.info({ code: "ok", ms: Math.round(performance.now() - started) }, "rpc");
      return res;
    } catch (err) {
      const connectErr = ConnectError.from(err);
      const fields = { code: connectErr.code, ms: Math.round(performance.now() - started) };
      // An error we did not map is ours to fix: keep its stack in the log, never in the answer.
      if (err instanceof ConnectError) callLog.info({ ...fields, reason: connectErr.rawMessage }, "rpc");
      else callLog.error({ ...fields, err }, "rpc failed unexpectedly");
      throw err;
    }
  };
}
