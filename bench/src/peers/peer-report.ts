// The comparison's figures: FlowShield's rate over the peer's, from the same run, and each
// process's peak memory under that load.
import type { Figure } from "../report";
import type { Summary } from "../samples";
import type { PeerPhases } from "./compare";
import { PEER_VERSIONS } from "./peer-stack";

const rate = (s: Summary) => `${s.perSecond.toFixed(1)}/s, p50 ${s.p50Ms.toFixed(0)} ms, p99 ${s.p99Ms.toFixed(0)} ms`;
const ratio = (a: Summary, b: Summary) => (b.perSecond > 0 ? a.perSecond / b.perSecond : Number.NaN);

// The memory goals for FlowShield's production bundles under the peers' load.
export const MEMORY_GOALS_MB = { auth: 150, profile: 100, worker: 200 } as const;

export function peerFigures(p: PeerPhases, peakRssMb: Record<string, number | undefined>): Figure[] {
  const pair = (figure: string, ours: Summary, peer: Summary, peerName: string, goal: number): Figure => {
    const value = ratio(ours, peer);
    return {
      figure,
      measured: rate(ours),
      baseline: `${peerName} ${rate(peer)}`,
      value,
      unit: "ratio",
      target: `≥ ${goal.toFixed(1)}× ${peerName}`,
      met: value >= goal,
    };
  };
  const rows = [
    pair(`registrations/s vs Kratos ${PEER_VERSIONS.kratos} (bcrypt 12, 8 in flight)`, p.register, p.kratosRegister, "Kratos", 1.0),
    {
      ...pair(
        `registrations/s vs Kratos ${PEER_VERSIONS.kratos} mailing a verification code too`,
        p.register,
        p.kratosRegisterWithMail,
        "Kratos",
        1.0,
      ),
      target: "— (reported: the same work as FlowShield's)",
      met: true,
    },
    pair(`logins/s vs Kratos ${PEER_VERSIONS.kratos} (bcrypt 12, 8 in flight)`, p.login, p.kratosLogin, "Kratos", 1.2),
    pair(`introspections/s vs Hydra ${PEER_VERSIONS.hydra} (16 in flight)`, p.introspection, p.hydraIntrospection, "Hydra", 1.0),
    pair(
      `client-credentials grants/s vs Hydra ${PEER_VERSIONS.hydra} (16 in flight, one hash of the secret each)`,
      p.clientCredentials,
      p.hydraClientCredentials,
      "Hydra",
      1.0,
    ),
  ];
  const peers = `Kratos ${(peakRssMb.kratos ?? Number.NaN).toFixed(0)} MB, Hydra ${(peakRssMb.hydra ?? Number.NaN).toFixed(0)} MB`;
  for (const [name, goal] of Object.entries(MEMORY_GOALS_MB)) {
    const mb = peakRssMb[name] ?? Number.NaN;
    rows.push({
      figure: `peak RSS of ${name}`,
      measured: `${mb.toFixed(0)} MB`,
      baseline: peers,
      value: mb,
      unit: "MB",
      target: `≤ ${goal} MB`,
      met: mb <= goal,
    });
  }
  return rows;
}
