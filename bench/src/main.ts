// `make bench`: starts its own stack under .bench/, measures every figure against its baseline in
// the same run, prints the table and writes .bench/results.json. QUICK=1 makes each phase short.
// The load comes from this process (Connect clients), from ghz, and from the bcrypt-bound process:
// never from inside a measured service.
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import * as path from "node:path";
import { promisify } from "node:util";
import bcrypt from "bcrypt";
import pg from "pg";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Client as TemporalClient, Connection } from "@temporalio/client";
import { encryptedDataConverter, parsePayloadKeys } from "@flowshield/common/temporal/payload-codec";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { UserAdminService } from "@flowshield/gen/flowshield/auth/v1/user_admin_service_pb";
import { ProfileAdminService } from "@flowshield/gen/flowshield/profile/v1/profile_admin_service_pb";
import { ROOT } from "../../scripts/stack";
import { BENCH_DIR, NOOP_TASK_QUEUE, startBenchStack, type BenchStack } from "./bench-stack";
import {
  clientCredentialsCall,
  createServiceClient,
  introspectionCall,
  opaqueAccessToken,
  primaryKeyReadsCall,
  readsPerIntrospection,
} from "./oidc-calls";
import { BENCH_PASSWORD, benchUser, directInsertsCall, joseSignCall, newRunId, noopSagaCall, refreshCall, registerCall } from "./calls";
import { runClosedLoop, type ClosedLoopResult } from "./closed-loop";
import { runGhz } from "./ghz";
import { FLOOD_CONCURRENCY, wrongPasswordFlood } from "./flood";
import { checkPassed, checkRegistrationsOf } from "./profile-check";
import { comparePeers } from "./peers/compare";
import { peerFigures } from "./peers/peer-report";
import { CORES, machine, PRODUCTION_COST, progress, QUICK, THREADPOOL_SIZE, TIMING, runEntry } from "./run-settings";
import { figures, formatTable, type Phases } from "./report";
import {
  enrolTotpAccount,
  passkeyLoginCall,
  passwordLoginCall,
  registerPasskey,
  totpLoginCall,
  type TotpAccount,
} from "./second-factor-calls";
import { softwarePasskey } from "./software-passkey";
import { riskDecisionsCall } from "./risk-calls";
import { summarise, type Summary } from "./samples";

const ORCHESTRATION_COST = 4;
// Enough calls in flight to keep every bcrypt thread busy, and the saga's pipeline full.
const HASH_CONCURRENCY = 8;
const SAGA_CONCURRENCY = 16;
const GET_PROFILE_CONCURRENCY = 64;
const REFRESH_CONCURRENCY = 16;
const OIDC_CONCURRENCY = 16;
// Accounts with an authenticator app: as many as two steps' worth of two-step logins (their codes
// work once a step), at the bcrypt bound's ~10 logins/s.
const TOTP_ACCOUNTS = QUICK ? 48 : 160;
const PASSKEY_CONCURRENCY = 16;

const summaryOf = (r: ClosedLoopResult): Summary => summarise(r.samples, r.elapsedMs);
const hostPort = (url: string) => new URL(url).host;

async function bcryptBound(cost: number): Promise<Summary> {
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/src/bcrypt-bound.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      UV_THREADPOOL_SIZE: String(THREADPOOL_SIZE),
      BCRYPT_COST: String(cost),
      BOUND_CONCURRENCY: String(HASH_CONCURRENCY),
      WARMUP_MS: String(TIMING.warmupMs),
      DURATION_MS: String(TIMING.durationMs),
    },
  });
  return summaryOf(JSON.parse(stdout) as ClosedLoopResult);
}

async function measure(stack: BenchStack, temporal: TemporalClient, runId: string): Promise<{ phases: Phases; registered: Set<string> }> {
  const registered = new Set<string>();
  const auth = createClient(AuthService, createGrpcTransport({ baseUrl: stack.authPublicUrl }));
  const loop = (concurrency: number, call: (n: number) => Promise<unknown>) =>
    runClosedLoop({ concurrency, ...TIMING, call }).then(summaryOf);
  const cheapHash = await bcrypt.hash(BENCH_PASSWORD, ORCHESTRATION_COST);
  const noopSaga = noopSagaCall(temporal, NOOP_TASK_QUEUE, runId);

  // The login users (one per call in flight: one account's sign-ins take one bcrypt lane at a time,
  // and people sign in one at a time), and one no-op saga: both return once their worker polls, so
  // that no worker is still bundling its workflows while the bound is measured.
  const loginUsers = Array.from({ length: HASH_CONCURRENCY }, (_, n) => benchUser(runId, "login", n));
  const loginUser = loginUsers[0]!;
  for (let n = 0; n < loginUsers.length; n++) await registerCall(auth, runId, "login", registered)(n);
  await noopSaga(0);

  progress(`bcrypt bound at cost ${PRODUCTION_COST} on ${CORES} cores`);
  const bcryptBound_ = await bcryptBound(PRODUCTION_COST);
  progress("logins");
  // ghz sends an array's messages in turn: each call in flight signs a user of its own in.
  const loginRun = (emails = loginUsers.map((u) => u.email)) =>
    runGhz({
      method: "flowshield.auth.v1.AuthService.Login",
      proto: "flowshield/auth/v1/auth_service.proto",
      target: hostPort(stack.authPublicUrl),
      data: emails.map((email) => ({ email, password: BENCH_PASSWORD })),
      concurrency: HASH_CONCURRENCY,
      ...TIMING,
    });
  const loginLoad = async (emails?: string[]) => summaryOf(await loginRun(emails));
  const login = await loginLoad();

  // Off and on in turn, twice, each right after a restart, so that neither the machine's drift nor
  // a fresh process's warm-up passes for the engine's cost.
  progress("logins with the risk engine off and on, in turn, twice");
  const riskRuns: Record<"on" | "off", ClosedLoopResult[]> = { on: [], off: [] };
  for (let round = 0; round < 2; round++) {
    await stack.restartAuth(PRODUCTION_COST, { RISK_ENGINE: "off" });
    riskRuns.off.push(await loginRun());
    await stack.restartAuth(PRODUCTION_COST);
    riskRuns.on.push(await loginRun());
  }
  const merged = (runs: ClosedLoopResult[]) =>
    summarise(
      runs.flatMap((r) => r.samples),
      runs.reduce((ms, r) => ms + r.elapsedMs, 0),
    );
  const loginWithoutRisk = merged(riskRuns.off);
  const loginWithRisk = merged(riskRuns.on);
  progress("the risk engine's decisions in process");
  const riskDecisions = await loop(1, await riskDecisionsCall());

  progress(`one user's logins, alone and beside ${FLOOD_CONCURRENCY} concurrent wrong passwords for another account`);
  const oneLogin = () => auth.login({ email: loginUser.email, password: BENCH_PASSWORD });
  const loginAlone = await loop(1, oneLogin);
  await registerCall(auth, runId, "target", registered)(0);
  const target = benchUser(runId, "target", 0).email;
  const [loginBesideFlood, flood] = await Promise.all([
    loop(1, oneLogin),
    wrongPasswordFlood(stack.authPublicUrl, target, TIMING).then(summaryOf),
  ]);
  progress("logins with an authenticator app's code as the second step, and password-only logins");
  // Each account's code works once a 30-second step: enough accounts that none is asked twice
  // within one step at the rate bcrypt allows.
  const totpAccounts: TotpAccount[] = [];
  for (let n = 0; n < TOTP_ACCOUNTS; n += HASH_CONCURRENCY)
    await Promise.all(
      Array.from({ length: Math.min(HASH_CONCURRENCY, TOTP_ACCOUNTS - n) }, async (_, i) => {
        await registerCall(auth, runId, "totp", registered)(n + i);
        totpAccounts.push(await enrolTotpAccount(auth, benchUser(runId, "totp", n + i).email));
      }),
    );
  const passwordLogins = await loop(
    HASH_CONCURRENCY,
    passwordLoginCall(
      auth,
      loginUsers.map((u) => u.email),
    ),
  );
  const totpLogins = await loop(HASH_CONCURRENCY, totpLoginCall(auth, totpAccounts));

  progress("logins without the rate limiter");
  await stack.restartAuth(PRODUCTION_COST, { RATE_LIMITS: "off" });
  const loginWithoutLimits = await loginLoad();
  // Without the limiter too: one address starting passwordless sign-ins as fast as it can is what
  // the per-address limit refuses.
  progress("passwordless passkey sign-ins, and the ES256 signature checks alone");
  const passkeys = [];
  for (let n = 0; n < HASH_CONCURRENCY; n++) {
    await registerCall(auth, runId, "passkey", registered)(n);
    passkeys.push(await registerPasskey(auth, benchUser(runId, "passkey", n).email, softwarePasskey(stack.authPublicUrl)));
  }
  const passkeyLogins = await loop(PASSKEY_CONCURRENCY, passkeyLoginCall(auth, passkeys));
  const verifyOnce = passkeys[0]!.verifier((await auth.startPasskeyLogin({})).optionsJson);
  const signatureChecks = await loop(1, async () => {
    if (!verifyOnce()) throw new Error("the signature did not verify");
  });
  await stack.restartAuth(PRODUCTION_COST);
  progress("registrations");
  const register = await loop(HASH_CONCURRENCY, registerCall(auth, runId, "reg", registered));

  progress("GetProfile, and the bare server");
  const getProfileLoad = (target: string) =>
    runGhz({
      method: "flowshield.profile.v1.ProfileService.GetProfile",
      proto: "flowshield/profile/v1/profile_service.proto",
      target,
      data: { username: loginUser.username },
      concurrency: GET_PROFILE_CONCURRENCY,
      ...TIMING,
    }).then(summaryOf);
  const bareServer = await getProfileLoad(hostPort(stack.bareServerUrl));
  const getProfile = await getProfileLoad(hostPort(stack.profilePublicUrl));

  // At cost 12 bcrypt hides the limiter's queries; at cost 4 they are a visible share of a login.
  progress(`logins at bcrypt cost ${ORCHESTRATION_COST}, without and with the rate limiter`);
  // Users whose stored hash has the cheap cost (a hash carries its cost; the login users' is 12).
  await stack.restartAuth(ORCHESTRATION_COST, { RATE_LIMITS: "off" });
  const cheapUsers = Array.from({ length: HASH_CONCURRENCY }, (_, n) => benchUser(runId, "cheap", n).email);
  for (let n = 0; n < cheapUsers.length; n++) await registerCall(auth, runId, "cheap", registered)(n);
  const cheapLoginWithoutLimits = await loginLoad(cheapUsers);
  await stack.restartAuth(ORCHESTRATION_COST);
  const cheapLogin = await loginLoad(cheapUsers);

  progress(`sagas at bcrypt cost ${ORCHESTRATION_COST}, and the no-op saga`);
  const userAdmin = createInternalClient(UserAdminService, stack.authInternalUrl, stack.credential);
  const profileAdmin = createInternalClient(ProfileAdminService, stack.profileInternalUrl, stack.credential);
  const directInserts = await loop(1, directInsertsCall(userAdmin, profileAdmin, runId, cheapHash, registered));
  const sagaLatency = await loop(1, registerCall(auth, runId, "lat", registered));
  const sagas = await loop(SAGA_CONCURRENCY, registerCall(auth, runId, "saga", registered));
  // Numbered past the warm-up saga above.
  const noopSagas = await loop(SAGA_CONCURRENCY, (n) => noopSaga(n + 1));

  progress("refreshes, and jose's signatures alone");
  const sessions: string[] = [];
  for (let i = 0; i < REFRESH_CONCURRENCY; i++) {
    sessions.push((await auth.login({ email: loginUser.email, password: BENCH_PASSWORD })).refreshToken);
  }
  const refresh = await loop(REFRESH_CONCURRENCY, refreshCall(auth, sessions));
  const joseSign = await loop(REFRESH_CONCURRENCY, await joseSignCall());

  progress("client credentials and introspection, and their baselines");
  const service = await createServiceClient(stack, `bench-${runId}`, stack.authPublicUrl);
  const clientCredentials = await loop(OIDC_CONCURRENCY, clientCredentialsCall(stack.authPublicUrl, service, stack.authPublicUrl));
  const jwtSign = await loop(OIDC_CONCURRENCY, await joseSignCall());
  const token = await opaqueAccessToken(stack.authPublicUrl, service);
  const introspect = introspectionCall(stack.authPublicUrl, service, token);
  const reads = await readsPerIntrospection(stack.authDatabaseUrl, introspect);
  const introspection = await loop(OIDC_CONCURRENCY, introspect);
  const readPool = new pg.Pool({ connectionString: stack.authDatabaseUrl, max: 10 });
  const primaryKeyReads = await loop(OIDC_CONCURRENCY, primaryKeyReadsCall(readPool, token, reads)).finally(() => readPool.end());
  return {
    phases: {
      bcryptBound: bcryptBound_,
      login,
      loginWithRisk,
      loginWithoutRisk,
      riskDecisions,
      loginAlone,
      loginBesideFlood,
      flood,
      loginWithoutLimits,
      passwordLogins,
      totpLogins,
      passkeyLogins,
      signatureChecks,
      cheapLogin,
      cheapLoginWithoutLimits,
      register,
      sagas,
      noopSagas,
      sagaLatency,
      directInserts,
      getProfile,
      bareServer,
      refresh,
      joseSign,
      clientCredentials,
      jwtSign,
      introspection,
      primaryKeyReads: { ...primaryKeyReads, readsPerCall: reads },
    },
    registered,
  };
}

async function main(): Promise<number> {
  progress(`starting the stack under ${path.relative(ROOT, BENCH_DIR)}/ (${QUICK ? "quick" : "full"} run)`);
  const stack = await startBenchStack({ bcryptCost: PRODUCTION_COST, threadpoolSize: THREADPOOL_SIZE });
  try {
    const connection = await Connection.connect({ address: stack.temporalAddress });
    const runId = newRunId();
    const { phases, registered } = await measure(
      stack,
      new TemporalClient({ connection, dataConverter: encryptedDataConverter(parsePayloadKeys(stack.payloadKeys)) }),
      runId,
    ).finally(() => connection.close());
    // The last phases ran auth at the orchestration cost: the peers meet production's, and no
    // baseline's process.
    await stack.restartAuth(PRODUCTION_COST);
    await stack.stopBaselines();
    const peers = await comparePeers({ stack, timing: TIMING, runId, registered, progress });
    const check = await checkRegistrationsOf(stack, registered);
    const rows = [...figures(phases), ...peerFigures(peers.phases, peers.peakRssMb)];
    const results = {
      date: new Date().toISOString(),
      mode: QUICK ? "quick" : "full",
      machine: machine(),
      timing: TIMING,
      figures: rows,
      phases,
      peerPhases: peers.phases,
      peakRssMb: peers.peakRssMb,
      check,
    };
    const out = process.env.BENCH_OUT ?? path.join(BENCH_DIR, "results.json");
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);

    console.log(`\n${formatTable(rows)}\n`);
    console.log(
      `every registered user has a profile: ${checkPassed(check) ? "yes" : "NO"} (${check.registered} registered, ${check.missingUsers.length} missing, ${check.withoutProfile.length} without a profile)`,
    );
    console.log(
      `results: ${path.relative(ROOT, out)}; failed calls by phase: ${JSON.stringify(Object.fromEntries(Object.entries(phases).map(([k, s]) => [k, s.failed])))}`,
    );
    return checkPassed(check) ? 0 : 1;
  } finally {
    await stack.stop();
  }
}

runEntry(main);
