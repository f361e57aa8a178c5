import { readFile } from "node:fs/promises";
import type { Kysely } from "kysely";
import type pg from "pg";
import type { Registry } from "prom-client";
import type { Logger } from "@flowshield/common/observability/logger";
import type { AuditLog } from "../../audit/app/dependencies";
import type { AuthConfig } from "../../config";
import type { AuthDatabase } from "../../kernel/adapters/db/schema";
import { createRiskEngine, DISABLED_RISK_ENGINE, type RiskEngine } from "../app/risk-engine";
import { DEFAULT_RISK_POLICY, riskPolicyFrom } from "../domain/policy";
import { createClientFacts } from "./client-facts";
import { createRegistrationRiskStore } from "./db/registration-risk-store";
import { createRiskProfileStore } from "./db/risk-profile-store";
import { createExternalScorer, NO_EXTERNAL_SCORER } from "./external-scorer";
import { loadNetworkDirectory } from "./network-directory";
import { createRiskCounters } from "./risk-counters";
import { createRiskMetrics } from "./risk-metrics";

// The risk engine as the auth service runs it: the policy from the configuration, the packaged
// databases loaded, its stores on the auth database, the external scorer when one is configured.
export async function startRiskEngine(
  config: Pick<AuthConfig, "riskEngine" | "riskPolicyJson" | "riskPolicyFile" | "riskScorer">,
  deps: { db: Kysely<AuthDatabase>; pool: pg.Pool; audit: AuditLog; metrics: Registry; log: Logger },
): Promise<RiskEngine> {
  if (!config.riskEngine) return DISABLED_RISK_ENGINE;
  const policyJson =
    config.riskPolicyJson ?? (config.riskPolicyFile !== undefined ? await readFile(config.riskPolicyFile, "utf8") : undefined);
  const policy = policyJson !== undefined ? riskPolicyFrom(policyJson) : DEFAULT_RISK_POLICY;
  const scorer = config.riskScorer;
  return createRiskEngine({
    policy,
    networks: await loadNetworkDirectory(),
    clients: createClientFacts(),
    profiles: createRiskProfileStore(deps.db),
    counters: createRiskCounters(deps.pool, policy),
    registrations: createRegistrationRiskStore(deps.db),
    scorer:
      scorer === undefined
        ? NO_EXTERNAL_SCORER
        : createExternalScorer({
            ...scorer,
            // The failure's kind only: the scorer's answer is not logged.
            onFailure: (err) =>
              deps.log.warn({ reason: err instanceof Error ? err.name : "unknown" }, "the external risk scorer was not used"),
          }),
    metrics: createRiskMetrics(deps.metrics),
    audit: deps.audit,
    clock: () => new Date(),
  });
}
