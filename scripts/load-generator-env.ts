// The settings a stack needs when every call comes from one address — the benchmark's load, the
// fault and compose suites' streams of registrations and sign-ins: the per-address limits raised,
// and a risk policy whose velocity counts no single generator reaches (the engine still does all
// its work: the lookups, the counters, the account normals, the audit events).
export const ONE_ADDRESS_RISK_POLICY = JSON.stringify({
  version: "one-address-load-1",
  velocity: {
    loginFailuresPerAddress: 1e9,
    loginFailuresPerNetwork: 1e9,
    registrationsPerAddress: 1e9,
    registrationsPerNetwork: 1e9,
    registrationsPerDomain: 1e9,
    registrationsPerDevice: 1e9,
  },
});

export function oneAddressLoadEnv(limit: number): Record<string, string> {
  return { REGISTRATIONS_PER_IP: String(limit), LOGIN_FAILURES_PER_IP: String(limit), RISK_POLICY: ONE_ADDRESS_RISK_POLICY };
}
