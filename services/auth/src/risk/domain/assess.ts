import { emptyNormal, type AccountNormal, type Sighting } from "./account-normal";
import type { Network } from "./place";
import { loginDecision, registrationDecision, type LoginDecision, type RegistrationDecision, type RiskPolicy } from "./policy";
import { scoreOf, type RiskScore } from "./score";
import { addressReasons, emailReasons, normalReasons, type Velocity } from "./signals";

// A decision from the facts gathered (risk/app/risk-engine.ts gathers them): the signals' reasons,
// their score, the policy's decision. The external scorer may raise the score after this.

export function assessSignIn(
  policy: RiskPolicy,
  facts: { network: Network; velocity: Velocity; normal: AccountNormal | undefined; seen: Sighting },
): RiskScore & { decision: LoginDecision } {
  const assessed = scoreOf(policy, [
    ...addressReasons(policy, facts.network, facts.velocity),
    ...normalReasons(policy, facts.normal ?? emptyNormal(), facts.seen),
  ]);
  return { ...assessed, decision: loginDecision(policy, assessed.score) };
}

export function assessRegistration(
  policy: RiskPolicy,
  facts: { network: Network; velocity: Velocity; email: string; disposable: boolean },
): RiskScore & { decision: RegistrationDecision } {
  const assessed = scoreOf(policy, [
    ...addressReasons(policy, facts.network, facts.velocity),
    ...emailReasons(facts.email, facts.disposable),
  ]);
  return { ...assessed, decision: registrationDecision(policy, assessed.score) };
}
