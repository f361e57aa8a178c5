// The benchmark's figures, each against its baseline from the same run and its target, printed as
// a table and written as JSON.
import { DECISIONS_PER_CALL } from "./risk-calls";
import type { Summary } from "./samples";

export interface Phases {
  bcryptBound: Summary;
  login: Summary;
  loginWithRisk: Summary;
  loginWithoutRisk: Summary;
  // Calls of DECISIONS_PER_CALL decisions each (risk-calls.ts).
  riskDecisions: Summary;
  loginAlone: Summary;
  loginBesideFlood: Summary;
  flood: Summary;
  loginWithoutLimits: Summary;
  passwordLogins: Summary;
  totpLogins: Summary;
  passkeyLogins: Summary;
  signatureChecks: Summary;
  cheapLogin: Summary;
  cheapLoginWithoutLimits: Summary;
  register: Summary;
  sagas: Summary;
  noopSagas: Summary;
  sagaLatency: Summary;
  directInserts: Summary;
  getProfile: Summary;
  bareServer: Summary;
  refresh: Summary;
  joseSign: Summary;
  clientCredentials: Summary;
  jwtSign: Summary;
  introspection: Summary;
  primaryKeyReads: Summary & { readsPerCall: number };
}

export interface Figure {
  figure: string;
  measured: string;
  baseline: string;
  // measured / baseline, or the measured value itself where the target is absolute.
  value: number;
  unit: "ratio" | "ms added" | "MB" | "/s";
  target: string;
  met: boolean;
}

const rate = (s: Summary) => `${s.perSecond.toFixed(1)}/s`;
const latency = (s: Summary) => `p50 ${s.p50Ms.toFixed(0)} ms, p99 ${s.p99Ms.toFixed(0)} ms`;

// A ratio against a baseline that measured nothing is NaN, which meets no target.
function ratio(measured: Summary, baseline: Summary): number {
  return baseline.perSecond > 0 ? measured.perSecond / baseline.perSecond : Number.NaN;
}

export function figures(p: Phases): Figure[] {
  const loginRatio = ratio(p.login, p.bcryptBound);
  const registerRatio = ratio(p.register, p.bcryptBound);
  const sagaRatio = ratio(p.sagas, p.noopSagas);
  const overheadMs = p.sagaLatency.p50Ms - p.directInserts.p50Ms;
  const getProfileRatio = ratio(p.getProfile, p.bareServer);
  const limiterRatio = ratio(p.login, p.loginWithoutLimits);
  const cheapLimiterRatio = ratio(p.cheapLogin, p.cheapLoginWithoutLimits);
  const refreshRatio = ratio(p.refresh, p.joseSign);
  const floodRatio = p.loginAlone.p99Ms > 0 ? p.loginBesideFlood.p99Ms / p.loginAlone.p99Ms : Number.NaN;
  const rows: Figure[] = [
    {
      figure: "a user's login p99 beside 300 concurrent wrong passwords for another account",
      // Every flood call fails (refused, a wrong password, or cut off at the window's end): its
      // rate of OK calls says nothing.
      measured: `${latency(p.loginBesideFlood)} (the flood: ${p.flood.failed} calls refused, wrong or cut off at the end)`,
      baseline: `alone: ${latency(p.loginAlone)}`,
      value: floodRatio,
      unit: "ratio",
      target: "≤ 2× the p99 alone",
      met: floodRatio <= 2,
    },
    {
      figure: "logins/s (bcrypt cost 12)",
      measured: `${rate(p.login)}, ${latency(p.login)}`,
      baseline: `bcrypt bound ${rate(p.bcryptBound)}`,
      value: loginRatio,
      unit: "ratio",
      target: "≥ 0.85 of the bound",
      met: loginRatio >= 0.85,
    },
    {
      figure: "registrations/s end to end (cost 12)",
      measured: `${rate(p.register)}, ${latency(p.register)}`,
      baseline: `bcrypt bound ${rate(p.bcryptBound)}`,
      value: registerRatio,
      unit: "ratio",
      target: "≥ 0.7 of the bound",
      met: registerRatio >= 0.7,
    },
    {
      figure: "sagas/s (cost 4)",
      measured: `${rate(p.sagas)}, ${latency(p.sagas)}`,
      baseline: `no-op saga ${rate(p.noopSagas)}`,
      value: sagaRatio,
      unit: "ratio",
      target: "≥ 0.8 of the no-op saga, and ≥ 40/s",
      met: sagaRatio >= 0.8 && p.sagas.perSecond >= 40,
    },
    {
      figure: "saga latency overhead (p50, one at a time)",
      measured: `saga p50 ${p.sagaLatency.p50Ms.toFixed(1)} ms`,
      baseline: `direct inserts p50 ${p.directInserts.p50Ms.toFixed(1)} ms`,
      value: overheadMs,
      unit: "ms added",
      target: "≤ 60 ms added",
      met: overheadMs <= 60,
    },
    {
      figure: "GetProfile req/s over gRPC (concurrency 64)",
      measured: `${rate(p.getProfile)}, ${latency(p.getProfile)}`,
      baseline: `bare server ${rate(p.bareServer)}, ${latency(p.bareServer)}`,
      value: getProfileRatio,
      unit: "ratio",
      target: "≥ 0.5 of the bare server",
      met: getProfileRatio >= 0.5,
    },
    {
      figure: "logins/s with the rate limiter (cost 12)",
      measured: `${rate(p.login)}, ${latency(p.login)}`,
      baseline: `RATE_LIMITS=off ${rate(p.loginWithoutLimits)}, ${latency(p.loginWithoutLimits)}`,
      value: limiterRatio,
      unit: "ratio",
      target: "≥ 0.95 (the limiter costs ≤ 5%)",
      met: limiterRatio >= 0.95,
    },
    {
      figure: "two-step logins/s, password + authenticator code (cost 12)",
      measured: `${rate(p.totpLogins)}, ${latency(p.totpLogins)}`,
      baseline: `password-only logins ${rate(p.passwordLogins)}, ${latency(p.passwordLogins)}`,
      value: ratio(p.totpLogins, p.passwordLogins),
      unit: "ratio",
      target: "≥ 0.95 (the second step adds ≤ 5%)",
      met: ratio(p.totpLogins, p.passwordLogins) >= 0.95,
    },
    {
      figure: "passwordless passkey sign-ins/s over gRPC (concurrency 16)",
      measured: `${rate(p.passkeyLogins)}, ${latency(p.passkeyLogins)}`,
      baseline: `ES256 signature checks alone, one core ${rate(p.signatureChecks)}`,
      value: ratio(p.passkeyLogins, p.signatureChecks),
      unit: "ratio",
      target: "— (reported)",
      met: true,
    },
    {
      figure: "logins/s with the risk engine (cost 12)",
      measured: `${rate(p.loginWithRisk)}, ${latency(p.loginWithRisk)}`,
      baseline: `RISK_ENGINE=off ${rate(p.loginWithoutRisk)}, ${latency(p.loginWithoutRisk)} (two runs each, in turn)`,
      value: ratio(p.loginWithRisk, p.loginWithoutRisk),
      unit: "ratio",
      target: "≥ 0.95 (the engine costs ≤ 5%)",
      met: ratio(p.loginWithRisk, p.loginWithoutRisk) >= 0.95,
    },
    {
      figure: "risk decisions/s in process, one core (lookup, device, signals, score)",
      measured: `${(p.riskDecisions.perSecond * DECISIONS_PER_CALL).toFixed(0)}/s`,
      baseline: "—",
      value: p.riskDecisions.perSecond * DECISIONS_PER_CALL,
      unit: "/s",
      target: "— (reported)",
      met: true,
    },
    {
      figure: "logins/s with the rate limiter (cost 4)",
      measured: `${rate(p.cheapLogin)}, ${latency(p.cheapLogin)}`,
      baseline: `RATE_LIMITS=off ${rate(p.cheapLoginWithoutLimits)}, ${latency(p.cheapLoginWithoutLimits)}`,
      value: cheapLimiterRatio,
      unit: "ratio",
      target: "— (what the limiter costs when bcrypt is cheap)",
      met: true,
    },
    {
      figure: "refreshes/s over gRPC (concurrency 16)",
      measured: `${rate(p.refresh)}, ${latency(p.refresh)}`,
      baseline: `jose EdDSA signatures alone ${rate(p.joseSign)}`,
      value: refreshRatio,
      unit: "ratio",
      target: "≥ 0.5 of jose alone",
      met: refreshRatio >= 0.5,
    },
    // The OpenID provider's figures have no target: they are reported against their bounds.
    {
      figure: "client-credentials grants/s over HTTP (concurrency 16)",
      measured: `${rate(p.clientCredentials)}, ${latency(p.clientCredentials)}`,
      baseline: `the JWT signature alone (jose, EdDSA) ${rate(p.jwtSign)}`,
      value: ratio(p.clientCredentials, p.jwtSign),
      unit: "ratio",
      target: "— (reported)",
      met: true,
    },
    {
      figure: "introspections/s over HTTP (concurrency 16)",
      measured: `${rate(p.introspection)}, ${latency(p.introspection)}`,
      baseline: `${p.primaryKeyReads.readsPerCall} primary-key read(s) per call on a pool of 10 ${rate(p.primaryKeyReads)}`,
      value: ratio(p.introspection, p.primaryKeyReads),
      unit: "ratio",
      target: "— (reported)",
      met: true,
    },
  ];
  return rows;
}

export function formatTable(rows: Figure[]): string {
  const header = ["figure", "measured", "baseline", "ratio / value", "target", "met"];
  const cells = rows.map((r) => [r.figure, r.measured, r.baseline, formatValue(r), r.target, r.met ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

function formatValue(r: Figure): string {
  if (r.unit === "MB") return `${r.value.toFixed(0)} MB`;
  if (r.unit === "/s") return `${r.value.toFixed(0)}/s`;
  if (r.unit === "ms added") return `${r.value >= 0 ? "+" : ""}${r.value.toFixed(1)} ms`;
  return r.value.toFixed(2);
}
