import type { SignInFacts } from "@flowshield/contracts/security-notice";
import type { SignInAssessment } from "./risk-engine";

// What a new sign-in's notice tells its owner: when, near where (a city and country, as the
// address's database places it), on what. No address.
export function signInNoticeOf(risk: SignInAssessment, now: Date): SignInFacts {
  const place = risk.network.place;
  return {
    time: now.toISOString(),
    place: place === undefined ? "" : [place.city, place.country].filter((p) => p !== undefined).join(", "),
    device: risk.device,
  };
}
