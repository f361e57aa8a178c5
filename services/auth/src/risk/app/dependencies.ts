import type { AuditRecord, Caller } from "../../audit/domain/audit";
import type { AccountNormal } from "../domain/account-normal";
import type { Network } from "../domain/place";
import type { RegistrationDecision } from "../domain/policy";
import type { RiskReason } from "../domain/reasons";
import type { RiskScore } from "../domain/score";
import type { Velocity } from "../domain/signals";

// What the risk engine needs from the world; adapters/ implements it.

// An address's network and place (adapters/network-directory.ts: the packaged databases).
export interface NetworkDirectory {
  lookup(ip: string): Network;
}

// Who the caller's device is (the hash of its device id, or of its user agent's family when it
// sent none), and whether an email's domain is a throwaway one.
export interface ClientFacts {
  deviceKey(caller: Caller): string;
  // What a person would call the device: its user agent's family ("Chrome 131 Windows").
  deviceName(caller: Caller): string;
  isDisposableEmail(email: string): boolean;
}

// The account normals (adapters/db/risk-profile-store.ts).
export interface RiskProfiles {
  find(userId: string): Promise<AccountNormal | undefined>;
  // Applies `learn` to the stored normal (an empty one when there is none) under a row lock.
  update(userId: string, learn: (normal: AccountNormal | undefined) => AccountNormal): Promise<void>;
}

// Velocity counters in the rate limiter's table (adapters/risk-counters.ts), by address, network
// (/24, or /48 for IPv6), email domain and device, over the policy's window.
export interface RiskCounters {
  loginVelocity(ip: string): Promise<Velocity>;
  loginFailed(ip: string): Promise<void>;
  // By device only for a client that sent its own device id: a user agent's family is shared by
  // millions.
  registrationVelocity(ip: string, emailDomain: string, deviceKey: string | undefined): Promise<Velocity>;
  registered(ip: string, emailDomain: string, deviceKey: string | undefined): Promise<void>;
}

export interface RegistrationAssessment extends RiskScore {
  decision: RegistrationDecision;
}

// Each registration's assessment, by the user id the saga makes (adapters/db/registration-risk-store.ts).
export interface RegistrationAssessments {
  find(userId: string): Promise<RegistrationAssessment | undefined>;
  // Stores it with its audit events unless one is stored for this user id already; answers the
  // stored one, and whether it was this call's.
  insertIfAbsent(
    userId: string,
    assessment: RegistrationAssessment,
    caller: Caller,
    audit: AuditRecord[],
  ): Promise<{ assessment: RegistrationAssessment; inserted: boolean }>;
}

// The signals an external scorer is shown: reason codes and coarse facts, never an email, a
// password or an address.
export interface ScorerInput {
  subject: "login" | "registration";
  reasons: RiskReason[];
  score: number;
  hostingNetwork: boolean;
  country?: string;
}

// The optional external scorer (adapters/external-scorer.ts): its score (0–1), or undefined when
// it is off, slow, failing or made no sense. Never rejects.
export interface ExternalScorer {
  score(input: ScorerInput): Promise<number | undefined>;
}

// Decisions by subject and outcome (flowshield_risk_decisions_total).
export interface RiskMetrics {
  decided(subject: "login" | "registration", decision: string): void;
}
