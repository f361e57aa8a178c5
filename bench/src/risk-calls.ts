import {
  assessSignIn,
  createClientFacts,
  DEFAULT_RISK_POLICY,
  emptyNormal,
  learned,
  loadNetworkDirectory,
} from "@flowshield/auth/risk-offline";

// The risk engine's own work per sign-in, in process and without its stores: the address looked
// up in the packaged databases, the device keyed from its user agent, the signals against an
// account's normal, the score and the decision. A call makes DECISIONS_PER_CALL of them, so that
// the closed loop's own bookkeeping does not hide them.
export const DECISIONS_PER_CALL = 1_000;

const ADDRESSES = ["91.64.1.9", "139.130.4.5", "46.101.1.1", "81.2.69.142", "2a01:4f8:1:2::1", "2a02:8108::1", "8.8.8.8", "31.13.64.1"];
const USER_AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "python-requests/2.32.3",
];

export async function riskDecisionsCall(): Promise<(n: number) => Promise<void>> {
  const directory = await loadNetworkDirectory();
  const clients = createClientFacts();
  const home = directory.lookup(ADDRESSES[0]!);
  const laptop = clients.deviceKey({ requestId: "", ip: ADDRESSES[0]!, userAgent: USER_AGENTS[0]! });
  // A month of sign-ins from home on one laptop.
  const normal = Array.from({ length: 30 }, (_, i) => ({
    at: new Date(Date.now() - i * 86_400_000),
    network: home,
    deviceKey: laptop,
  })).reduceRight(learned, emptyNormal());
  return async (n) => {
    for (let i = 0; i < DECISIONS_PER_CALL; i++) {
      const k = n * DECISIONS_PER_CALL + i;
      const caller = { requestId: "", ip: ADDRESSES[k % ADDRESSES.length]!, userAgent: USER_AGENTS[k % USER_AGENTS.length]! };
      const network = directory.lookup(caller.ip);
      const decided = assessSignIn(DEFAULT_RISK_POLICY, {
        network,
        velocity: {},
        normal,
        seen: { at: new Date(), network, deviceKey: clients.deviceKey(caller) },
      });
      if (decided.score < 0) throw new Error("a score below 0");
    }
  };
}
