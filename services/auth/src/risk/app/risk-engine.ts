import { PermissionDeniedError } from "@flowshield/common/contract/errors";
import type { AuditLog } from "../../audit/app/dependencies";
import type { AuditRecord, Caller } from "../../audit/domain/audit";
import { emptyNormal, learned, type Sighting } from "../domain/account-normal";
import type { Network } from "../domain/place";
import { loginDecision, registrationDecision, type LoginDecision, type RiskPolicy } from "../domain/policy";
import { assessRegistration, assessSignIn } from "../domain/assess";
import { raisedBy, scoreOf, type RiskScore } from "../domain/score";
import { addressReasons } from "../domain/signals";
import type {
  ClientFacts,
  ExternalScorer,
  NetworkDirectory,
  RegistrationAssessment,
  RegistrationAssessments,
  RiskCounters,
  RiskMetrics,
  RiskProfiles,
} from "./dependencies";

// A sign-in's assessment, and the facts it was made from (the notice mail names the place).
export interface SignInAssessment extends RiskScore {
  decision: LoginDecision;
  network: Network;
  device: string;
}

// What the use cases ask of the risk engine (README, "Adaptive sign-in and registration risk").
export interface RiskEngine {
  // Before a password is checked: refuses (PERMISSION_DENIED, RISK_REFUSED) when the address alone
  // — its network, its recent failures — scores a refusal, before any bcrypt work.
  screenSignIn(caller: Caller): Promise<void>;
  // A password that did not match (or an account that may not sign in): counted by address and network.
  signInFailed(caller: Caller): Promise<void>;
  // After the password matched: the address and the account's normal. Refuses as above; otherwise
  // the decision (allow, notify, step_up), audited (risk_assessed) and counted.
  assessSignIn(userId: string, caller: Caller): Promise<SignInAssessment>;
  // A sign-in that succeeded (every step of it), or the registration that made the account (the
  // address and device it was made from are its first sighting): learned into its normal.
  signedIn(userId: string, caller: Caller): Promise<void>;
  // The registration saga's first step: the decision (the first one made for this user id, when
  // the step is retried), audited and counted. Refuses nothing itself: the saga acts on it.
  assessRegistration(req: { userId: string; email: string; caller: Caller }): Promise<RegistrationAssessment>;
}

export interface RiskEnginePorts {
  policy: RiskPolicy;
  networks: NetworkDirectory;
  clients: ClientFacts;
  profiles: RiskProfiles;
  counters: RiskCounters;
  registrations: RegistrationAssessments;
  scorer: ExternalScorer;
  metrics: RiskMetrics;
  audit: AuditLog;
  clock: () => Date;
}

const refused = () => new PermissionDeniedError("RISK_REFUSED", "this sign-in was refused; try again later or contact support");

const auditOf = (
  subject: "login" | "registration",
  userId: string | undefined,
  assessed: RiskScore & { decision: string },
): AuditRecord => ({
  type: "risk_assessed",
  ...(userId !== undefined ? { userId } : {}),
  detail: {
    subject,
    score: assessed.score,
    decision: assessed.decision,
    reasons: assessed.reasons,
    policy_version: assessed.policyVersion,
  },
});

export function createRiskEngine(ports: RiskEnginePorts): RiskEngine {
  const { policy } = ports;
  const sightingOf = (caller: Caller, network: Network): Sighting => ({
    at: ports.clock(),
    network,
    deviceKey: ports.clients.deviceKey(caller),
  });

  async function refuse(caller: Caller, userId: string | undefined, assessed: RiskScore): Promise<never> {
    ports.metrics.decided("login", "refuse");
    await ports.audit.record(caller, [auditOf("login", userId, { ...assessed, decision: "refuse" })]);
    throw refused();
  }

  return {
    async screenSignIn(caller) {
      const network = ports.networks.lookup(caller.ip);
      const assessed = scoreOf(policy, addressReasons(policy, network, await ports.counters.loginVelocity(caller.ip)));
      if (loginDecision(policy, assessed.score) === "refuse") await refuse(caller, undefined, assessed);
    },

    signInFailed: (caller) => ports.counters.loginFailed(caller.ip),

    async assessSignIn(userId, caller) {
      const network = ports.networks.lookup(caller.ip);
      const [velocity, normal] = await Promise.all([ports.counters.loginVelocity(caller.ip), ports.profiles.find(userId)]);
      const rules = assessSignIn(policy, { network, velocity, normal, seen: sightingOf(caller, network) });
      const assessed = raisedBy(rules, await ports.scorer.score(scorerInput("login", rules, network)));
      const decision = loginDecision(policy, assessed.score);
      if (decision === "refuse") return refuse(caller, userId, assessed);
      ports.metrics.decided("login", decision);
      await ports.audit.record(caller, [auditOf("login", userId, { ...assessed, decision })]);
      return { ...assessed, decision, network, device: ports.clients.deviceName(caller) };
    },

    async signedIn(userId, caller) {
      const seen = sightingOf(caller, ports.networks.lookup(caller.ip));
      await ports.profiles.update(userId, (normal) => learned(normal ?? emptyNormal(), seen));
    },

    async assessRegistration({ userId, email, caller }) {
      const known = await ports.registrations.find(userId);
      if (known !== undefined) return known;
      const network = ports.networks.lookup(caller.ip);
      const domain = email.slice(email.lastIndexOf("@") + 1);
      const deviceKey = caller.deviceId !== undefined ? ports.clients.deviceKey(caller) : undefined;
      const velocity = await ports.counters.registrationVelocity(caller.ip, domain, deviceKey);
      const rules = assessRegistration(policy, { network, velocity, email, disposable: ports.clients.isDisposableEmail(email) });
      const assessed = raisedBy(rules, await ports.scorer.score(scorerInput("registration", rules, network)));
      const candidate = { ...assessed, decision: registrationDecision(policy, assessed.score) };
      const stored = await ports.registrations.insertIfAbsent(userId, candidate, caller, [auditOf("registration", userId, candidate)]);
      if (stored.inserted) {
        ports.metrics.decided("registration", candidate.decision);
        await ports.counters.registered(caller.ip, domain, deviceKey);
      }
      return stored.assessment;
    },
  };
}

function scorerInput(subject: "login" | "registration", rules: RiskScore, network: Network) {
  return {
    subject,
    reasons: rules.reasons,
    score: rules.score,
    hostingNetwork: network.hosting,
    ...(network.place !== undefined ? { country: network.place.country } : {}),
  };
}

// RISK_ENGINE=off: every sign-in and registration allowed, nothing learned or recorded.
export const DISABLED_RISK_ENGINE: RiskEngine = {
  screenSignIn: async () => undefined,
  signInFailed: async () => undefined,
  assessSignIn: async () => ({ score: 0, reasons: [], policyVersion: "off", decision: "allow", network: { hosting: false }, device: "" }),
  signedIn: async () => undefined,
  assessRegistration: async () => ({ score: 0, reasons: [], policyVersion: "off", decision: "allow" }),
};
