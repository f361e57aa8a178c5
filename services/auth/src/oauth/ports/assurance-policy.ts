import { interactionPolicy } from "oidc-provider";
import type { AssuranceLevel } from "../../mfa/domain/factor";

const { Check, base } = interactionPolicy;

// What the provider's sessions can be asked to have proved (acr_values): one factor, or two.
export const ACR_VALUES: AssuranceLevel[] = ["aal1", "aal2"];

// The library's interaction policy, and one more reason to sign in again: a request whose
// acr_values ask for two factors (aal2) while the browser's session proved one. The library
// already signs in again for max_age (and for an essential acr claim); acr_values it leaves to its
// host, as OpenID Connect calls them voluntary. An account without a second factor then signs in
// again with its password, and its ID token says aal1: the client decides what it accepts.
export function assurancePolicy() {
  const policy = base();
  policy.get("login")!.checks.add(
    new Check("acr_values", "a second factor is requested", (ctx) => {
      const { oidc } = ctx;
      const acrValues = oidc.params?.acr_values;
      const wanted = typeof acrValues === "string" ? acrValues.split(" ") : [];
      if (!wanted.includes("aal2") || oidc.acr === "aal2" || oidc.result?.login !== undefined) return Check.NO_NEED_TO_PROMPT;
      return Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}
