import { checkUuid, normaliseEmail } from "@flowshield/common/contract/validation";
import type { Caller } from "../../audit/domain/audit";
import type { AuthDeps } from "../../kernel/app/dependencies";
import type { RegistrationAssessment } from "./dependencies";

const MAX_CLAIM = 512;

// AssessRegistrationRisk, the registration saga's first step: the registering client as Register
// saw it (its address, user agent and device id, carried in the saga's encrypted input) is the
// caller the assessment and its audit event are about; the request id is the worker's call's,
// which leads back to Register's.
export async function assessRegistrationRisk(
  deps: Pick<AuthDeps, "risk">,
  req: { userId: string; email: string; clientIp: string; userAgent: string; deviceId: string },
  caller: Caller,
): Promise<RegistrationAssessment> {
  const userId = checkUuid(req.userId, "user_id");
  const email = normaliseEmail(req.email);
  const client: Caller = {
    requestId: caller.requestId,
    ip: req.clientIp.slice(0, MAX_CLAIM),
    userAgent: req.userAgent.slice(0, MAX_CLAIM),
    ...(req.deviceId !== "" ? { deviceId: req.deviceId.slice(0, MAX_CLAIM) } : {}),
  };
  return deps.risk.assessRegistration({ userId, email, caller: client });
}
