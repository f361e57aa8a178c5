// FlowShield against Ory Kratos and Hydra on the same machine, in the same run, with the same load
// driver (closed-loop.ts over http-json.ts): each pair measured back to back, the peer first.
import { runClosedLoop } from "../closed-loop";
import { summarise, type Summary } from "../samples";
import { BENCH_DIR, type BenchStack } from "../bench-stack";
import { createServiceClient } from "../oidc-calls";
import { httpJson } from "./http-json";
import {
  basicAuthorization,
  flowshieldLoginCall,
  flowshieldRegisterCall,
  hydraServiceClient,
  introspectionCall,
  kratosLoginCall,
  kratosRegisterCall,
  tokenCall,
} from "./peer-calls";
import { startPeerStack } from "./peer-stack";

// The load: bcrypt-bound flows at 8 calls in flight, the provider's at 16.
export const PEER_CONCURRENCY = { hashing: 8, provider: 16 } as const;
// Login users per side, signed in in turn.
const LOGIN_USERS = 32;

export interface PeerPhases {
  register: Summary;
  kratosRegister: Summary;
  // Kratos mailing a verification code on every registration, as FlowShield does.
  kratosRegisterWithMail: Summary;
  login: Summary;
  kratosLogin: Summary;
  clientCredentials: Summary;
  hydraClientCredentials: Summary;
  introspection: Summary;
  hydraIntrospection: Summary;
}

// Starts the peers beside `stack` (its auth at production cost), measures both, stops the peers.
// The FlowShield users made are added to `registered`; the peak memory is every process's, FlowShield's
// over the whole run.
export async function comparePeers(options: {
  stack: BenchStack;
  timing: { warmupMs: number; durationMs: number };
  runId: string;
  registered: Set<string>;
  progress(message: string): void;
}): Promise<{ phases: PeerPhases; peakRssMb: Record<string, number | undefined> }> {
  const { stack, timing, runId, registered, progress } = options;
  progress("peers: starting Kratos and Hydra, each on a Postgres of its own");
  const peers = await startPeerStack(BENCH_DIR, stack.mailUrl);
  const connections = PEER_CONCURRENCY.provider;
  const auth = httpJson(stack.authPublicUrl, connections);
  const kratos = httpJson(peers.kratosPublicUrl, connections);
  const hydra = httpJson(peers.hydraPublicUrl, connections);
  const hydraAdmin = httpJson(peers.hydraAdminUrl, connections);
  const loop = async (concurrency: number, call: (n: number) => Promise<unknown>) => {
    const r = await runClosedLoop({ concurrency, ...timing, call });
    return summarise(r.samples, r.elapsedMs);
  };
  const setUp = async (count: number, call: (n: number) => Promise<unknown>) => {
    for (let n = 0; n < count; n += PEER_CONCURRENCY.hashing)
      await Promise.all(Array.from({ length: Math.min(PEER_CONCURRENCY.hashing, count - n) }, (_, i) => call(n + i)));
  };
  try {
    const serviceClient = await createServiceClient(stack, `peers-${runId}`, stack.authPublicUrl);
    progress("peers: registrations, Kratos then FlowShield");
    const kratosRegister = await loop(PEER_CONCURRENCY.hashing, kratosRegisterCall(kratos, runId, "kreg"));
    const register = await loop(PEER_CONCURRENCY.hashing, flowshieldRegisterCall(auth, runId, "preg", registered));
    progress("peers: Kratos's registrations mailing a verification code, as FlowShield's do");
    await peers.restartKratos(true);
    const mailsBefore = stack.mailsReceived();
    let registrations = 0;
    const kratosRegisterWithMail = await loop(PEER_CONCURRENCY.hashing, (n) =>
      kratosRegisterCall(kratos, runId, "kmail")(n).then(() => registrations++),
    );
    // Kratos's courier sends from its queue, a second at a time: every registration's mail must arrive.
    const mailDeadline = Date.now() + 30_000;
    while (stack.mailsReceived() - mailsBefore < registrations && Date.now() < mailDeadline) await new Promise((r) => setTimeout(r, 200));
    const kratosMails = stack.mailsReceived() - mailsBefore;
    if (kratosMails < registrations) throw new Error(`Kratos mailed ${kratosMails} verification codes for ${registrations} registrations`);
    await peers.restartKratos(false);

    progress(`peers: logins over ${LOGIN_USERS} accounts each, Kratos then FlowShield`);
    const emails = (phase: string) => Array.from({ length: LOGIN_USERS }, (_, n) => `${phase}_${runId}_${n}@bench.example`);
    await setUp(LOGIN_USERS, kratosRegisterCall(kratos, runId, "klogin"));
    await setUp(LOGIN_USERS, flowshieldRegisterCall(auth, runId, "plogin", registered));
    const kratosLogin = await loop(PEER_CONCURRENCY.hashing, kratosLoginCall(kratos, emails("klogin")));
    const login = await loop(PEER_CONCURRENCY.hashing, flowshieldLoginCall(auth, emails("plogin")));

    progress("peers: client-credentials grants and introspections, Hydra then FlowShield");
    const hydraClient = await hydraServiceClient(hydraAdmin);
    const hydraGrant = tokenCall(hydra, "/oauth2/token", hydraClient);
    const flowshieldGrant = tokenCall(auth, "/oidc/token", serviceClient);
    const hydraClientCredentials = await loop(PEER_CONCURRENCY.provider, hydraGrant);
    const clientCredentials = await loop(PEER_CONCURRENCY.provider, flowshieldGrant);
    const hydraIntrospection = await loop(
      PEER_CONCURRENCY.provider,
      introspectionCall(hydraAdmin, "/admin/oauth2/introspect", await hydraGrant()),
    );
    const introspection = await loop(
      PEER_CONCURRENCY.provider,
      introspectionCall(
        auth,
        "/oidc/token/introspection",
        await flowshieldGrant(),
        basicAuthorization(serviceClient.clientId, serviceClient.clientSecret),
      ),
    );

    const peakRssMb: Record<string, number | undefined> = {};
    for (const p of [...stack.measured, ...peers.measured]) peakRssMb[p.name] = await p.peakRssMb();
    return {
      phases: {
        register,
        kratosRegister,
        kratosRegisterWithMail,
        login,
        kratosLogin,
        clientCredentials,
        hydraClientCredentials,
        introspection,
        hydraIntrospection,
      },
      peakRssMb,
    };
  } finally {
    for (const client of [auth, kratos, hydra, hydraAdmin]) client.close();
    await peers.stop();
  }
}
