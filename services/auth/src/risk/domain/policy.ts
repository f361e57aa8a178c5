import { RISK_REASONS, type RiskReason } from "./reasons";

// What a score leads to. A sign-in: allow; allow and mail the owner a notice; ask a second factor
// (step-up); refuse. A registration: allow; require the email verified before the account may
// sign in; hold the account (pending) for an operator's review; refuse.
export const LOGIN_DECISIONS = ["allow", "notify", "step_up", "refuse"] as const;
export type LoginDecision = (typeof LOGIN_DECISIONS)[number];
export const REGISTRATION_DECISIONS = ["allow", "verify_first", "hold", "refuse"] as const;
export type RegistrationDecision = (typeof REGISTRATION_DECISIONS)[number];

// A versioned policy: each reason's weight, the scores at which each decision starts, and the
// thresholds of the signals that count. Every decision records the version it was made under.
export interface RiskPolicy {
  version: string;
  // How much each reason alone adds; reasons combine as independent evidence (score.ts).
  weights: Record<RiskReason, number>;
  // The lowest score of each decision; below all of them, allow.
  login: { notify: number; step_up: number; refuse: number };
  registration: { verify_first: number; hold: number; refuse: number };
  // VELOCITY: counts within the last `windowSeconds` at or above which it fires.
  velocity: {
    windowSeconds: number;
    loginFailuresPerAddress: number;
    loginFailuresPerNetwork: number;
    registrationsPerAddress: number;
    registrationsPerNetwork: number;
    registrationsPerDomain: number;
    registrationsPerDevice: number;
  };
  // IMPOSSIBLE_TRAVEL: faster than `maxSpeedKmh` over more than `minDistanceKm` (closer than that,
  // the databases' own error — a city's centre for a whole region — is larger than the move).
  travel: { maxSpeedKmh: number; minDistanceKm: number };
  // UNUSUAL_HOUR: only once the account has this many sign-ins, for an hour (±1) holding less
  // than this share of them.
  hours: { minSignIns: number; maxShare: number };
}

// The defaults (README, "Adaptive sign-in and registration risk"), chosen to bother honest users
// rarely: one new thing (a new phone, a trip abroad with a known laptop) is a notice at most; only
// travel no one can make, or several new things at once, asks a second factor; only velocity — a
// run over many accounts or many registrations — refuses.
export const DEFAULT_RISK_POLICY: RiskPolicy = {
  version: "2026-12-07.1",
  weights: {
    HOSTING_NETWORK: 0.2,
    VELOCITY: 0.95,
    IMPOSSIBLE_TRAVEL: 0.6,
    NEW_COUNTRY: 0.35,
    NEW_NETWORK: 0.1,
    NEW_DEVICE: 0.3,
    UNUSUAL_HOUR: 0.1,
    DISPOSABLE_EMAIL: 0.5,
    PLUS_ADDRESSING: 0.05,
    RANDOM_LOCAL_PART: 0.15,
    EXTERNAL_SCORER: 0,
  },
  login: { notify: 0.3, step_up: 0.6, refuse: 0.9 },
  registration: { verify_first: 0.3, hold: 0.55, refuse: 0.9 },
  velocity: {
    windowSeconds: 60 * 60,
    loginFailuresPerAddress: 50,
    loginFailuresPerNetwork: 100,
    registrationsPerAddress: 10,
    registrationsPerNetwork: 20,
    registrationsPerDomain: 500,
    registrationsPerDevice: 5,
  },
  travel: { maxSpeedKmh: 1000, minDistanceKm: 500 },
  hours: { minSignIns: 10, maxShare: 0.05 },
};

type PolicyOverride = Partial<{
  [K in keyof RiskPolicy]: RiskPolicy[K] extends object ? Partial<RiskPolicy[K]> : RiskPolicy[K];
}>;

// An operator's policy (RISK_POLICY, JSON): the defaults with the fields it gives replaced. It
// must name its own version, so decisions made under it say so. Throws on anything malformed:
// a policy that silently fell back to the defaults would hide the operator's mistake.
export function riskPolicyFrom(json: string): RiskPolicy {
  let given: PolicyOverride;
  try {
    given = JSON.parse(json) as PolicyOverride;
  } catch {
    throw new Error("RISK_POLICY: not JSON");
  }
  if (typeof given !== "object" || given === null) throw new Error("RISK_POLICY: not an object");
  if (typeof given.version !== "string" || given.version === "" || given.version === DEFAULT_RISK_POLICY.version)
    throw new Error("RISK_POLICY: give it a version of its own");
  const policy: RiskPolicy = {
    version: given.version,
    weights: { ...DEFAULT_RISK_POLICY.weights, ...given.weights },
    login: { ...DEFAULT_RISK_POLICY.login, ...given.login },
    registration: { ...DEFAULT_RISK_POLICY.registration, ...given.registration },
    velocity: { ...DEFAULT_RISK_POLICY.velocity, ...given.velocity },
    travel: { ...DEFAULT_RISK_POLICY.travel, ...given.travel },
    hours: { ...DEFAULT_RISK_POLICY.hours, ...given.hours },
  };
  for (const name of Object.keys(policy.weights)) {
    if (!(RISK_REASONS as readonly string[]).includes(name)) throw new Error(`RISK_POLICY: no reason ${name}`);
  }
  const fractions = [
    ...Object.values(policy.weights),
    ...Object.values(policy.login),
    ...Object.values(policy.registration),
    policy.hours.maxShare,
  ];
  if (fractions.some((n) => typeof n !== "number" || !(n >= 0 && n <= 1)))
    throw new Error("RISK_POLICY: weights and thresholds are between 0 and 1");
  const counts = [...Object.values(policy.velocity), ...Object.values(policy.travel), policy.hours.minSignIns];
  if (counts.some((n) => typeof n !== "number" || !(n > 0)))
    throw new Error("RISK_POLICY: counts, speeds and distances are positive numbers");
  if (!(policy.login.notify <= policy.login.step_up && policy.login.step_up <= policy.login.refuse))
    throw new Error("RISK_POLICY: login thresholds go notify ≤ step_up ≤ refuse");
  if (!(policy.registration.verify_first <= policy.registration.hold && policy.registration.hold <= policy.registration.refuse))
    throw new Error("RISK_POLICY: registration thresholds go verify_first ≤ hold ≤ refuse");
  return policy;
}

export function loginDecision(policy: RiskPolicy, score: number): LoginDecision {
  const t = policy.login;
  return score >= t.refuse ? "refuse" : score >= t.step_up ? "step_up" : score >= t.notify ? "notify" : "allow";
}

export function registrationDecision(policy: RiskPolicy, score: number): RegistrationDecision {
  const t = policy.registration;
  return score >= t.refuse ? "refuse" : score >= t.hold ? "hold" : score >= t.verify_first ? "verify_first" : "allow";
}
