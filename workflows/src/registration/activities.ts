import { CALL_TIMEOUT_MS, callRpc, type ServiceClients } from "../service-calls";
import type { AccountRemovalActivities } from "@flowshield/contracts/account-removal";
import { RISK_LEVELS, type RegistrationActivities, type RegistrationRisk } from "@flowshield/contracts/registration";

const isDecision = (text: string): text is RegistrationRisk["decision"] => Object.hasOwn(RISK_LEVELS, text);

// An answer without the id we asked for is a bug in the service that sent it. Failing loudly
// (and being retried, visibly, in the Web UI) beats carrying on with an invented value.
function required(id: string | undefined, what: string): string {
  if (id === undefined || id === "") throw new Error(`${what} answered without an id`);
  return id;
}

// The saga's steps: thin gRPC calls to the services' internal listeners, which make them
// idempotent. Results are ids only: the history carries nothing else. Its compensations are the
// account removal's (account-removal/activities.ts).
export function createRegistrationActivities(clients: ServiceClients): Omit<RegistrationActivities, keyof AccountRemovalActivities> {
  return {
    async assessRegistrationRisk({ userId, email, client }) {
      const res = await callRpc(() =>
        clients.userAdmin.assessRegistrationRisk(
          { userId, email, clientIp: client.ip, userAgent: client.userAgent, deviceId: client.deviceId },
          { timeoutMs: CALL_TIMEOUT_MS },
        ),
      );
      if (!isDecision(res.decision)) throw new Error(`AssessRegistrationRisk answered an unknown decision "${res.decision}"`);
      return { decision: res.decision, score: res.score, reasons: res.reasons, policyVersion: res.policyVersion };
    },

    async createUser(input) {
      const res = await callRpc(() => clients.userAdmin.createUser(input, { timeoutMs: CALL_TIMEOUT_MS }));
      return { userId: required(res.user?.id, "CreateUser") };
    },

    async createProfile(input) {
      const res = await callRpc(() => clients.profileAdmin.createProfile(input, { timeoutMs: CALL_TIMEOUT_MS }));
      return { profileId: required(res.profile?.id, "CreateProfile") };
    },

    async activateUser(userId) {
      await callRpc(() => clients.userAdmin.activateUser({ id: userId }, { timeoutMs: CALL_TIMEOUT_MS }));
    },
  };
}
