// The risk engine's vocabulary: why a sign-in or a registration looked risky. Stable codes: the
// audit trail (`risk_assessed`'s detail.reasons), the policy's weights and the README use them.
export const RISK_REASONS = [
  // The address belongs to a hosting or data-centre network (a server, a VPN's exit, a proxy).
  "HOSTING_NETWORK",
  // Many failed sign-ins or registrations lately from the address, its network, the email's
  // domain or the device.
  "VELOCITY",
  // Too far from the account's last sign-in for the time since (faster than an airliner).
  "IMPOSSIBLE_TRAVEL",
  // Not where the account signs in from: a new country, a new network (ASN), a new device.
  "NEW_COUNTRY",
  "NEW_NETWORK",
  "NEW_DEVICE",
  // An hour of the day the account has rarely signed in at.
  "UNUSUAL_HOUR",
  // The email: a throwaway domain, plus-addressing (one inbox, many accounts), a random-looking
  // local part (made by a script).
  "DISPOSABLE_EMAIL",
  "PLUS_ADDRESSING",
  "RANDOM_LOCAL_PART",
  // The optional external scorer raised the score (it can never lower it).
  "EXTERNAL_SCORER",
] as const;
export type RiskReason = (typeof RISK_REASONS)[number];
