import type { RiskPolicy } from "./policy";
import type { RiskReason } from "./reasons";

// An assessment: its score (0–1), the reasons behind it, and the policy it was made under.
export interface RiskScore {
  score: number;
  reasons: RiskReason[];
  policyVersion: string;
}

// Reasons combine as independent pieces of evidence (a noisy-OR): the score is the chance that at
// least one of them means trouble, 1 − Π(1 − weight). Each reason can only raise it, no reason is
// double-counted, a score stays within 0–1, and a decision can be explained by its reasons alone.
export function scoreOf(policy: RiskPolicy, reasons: RiskReason[]): RiskScore {
  const unique = [...new Set(reasons)];
  const clean = unique.reduce((p, r) => p * (1 - policy.weights[r]), 1);
  return { score: round(1 - clean), reasons: unique, policyVersion: policy.version };
}

// The external scorer's opinion (0–1): it may raise a score, with EXTERNAL_SCORER among the
// reasons, never lower it.
export function raisedBy(assessed: RiskScore, external: number | undefined): RiskScore {
  if (external === undefined || !(external > assessed.score)) return assessed;
  return { ...assessed, score: round(Math.min(1, external)), reasons: [...assessed.reasons, "EXTERNAL_SCORER"] };
}

// Three decimals: what is recorded and compared (0.9 stays 0.9, not 0.8999999999999999).
const round = (n: number) => Math.round(n * 1000) / 1000;
