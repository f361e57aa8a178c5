import { Counter, type Registry } from "prom-client";
import type { RiskMetrics } from "../app/dependencies";

// flowshield_risk_decisions_total{subject, decision}: the dashboard's view of how often the risk
// engine notifies, steps up, holds or refuses.
export function createRiskMetrics(registry: Registry): RiskMetrics {
  const decisions = new Counter({
    name: "flowshield_risk_decisions_total",
    help: "Risk engine decisions, by subject (login, registration) and decision",
    labelNames: ["subject", "decision"] as const,
    registers: [registry],
  });
  return { decided: (subject, decision) => decisions.inc({ subject, decision }) };
}
