// The four comparisons' calls, FlowShield's and the peer's side by side, each the whole of what a
// client does for the outcome: a registration that leaves a user who can sign in, a login that
// answers with a session, a client-credentials grant, an introspection answering active.
// FlowShield is called through Connect's JSON protocol over HTTP/1.1, the peers through their REST
// APIs, all with the one client of http-json.ts.
import { BENCH_PASSWORD, benchUser } from "../calls";
import { basicAuthorization, expectStatus, HttpCallError, type HttpJson } from "./http-json";

const connect = (method: string) => `/flowshield.auth.v1.AuthService/${method}`;

export function flowshieldRegisterCall(auth: HttpJson, runId: string, phase: string, registered: Set<string>) {
  return async (n: number) => {
    const body = expectStatus(
      await auth.post(connect("Register"), { json: { ...benchUser(runId, phase, n), password: BENCH_PASSWORD } }),
      200,
      "Register",
    );
    const id = (body.user as { id?: string } | undefined)?.id;
    if (id === undefined) throw new HttpCallError("Register answered without a user", "NO_USER");
    registered.add(id);
  };
}

export function flowshieldLoginCall(auth: HttpJson, emails: readonly string[]) {
  return async (n: number) => {
    const body = expectStatus(
      await auth.post(connect("Login"), { json: { email: emails[n % emails.length], password: BENCH_PASSWORD } }),
      200,
      "Login",
    );
    if (typeof body.accessToken !== "string") throw new HttpCallError("Login answered without a token", "NO_TOKEN");
  };
}

// Kratos's API flows: each registration or login is a flow made (GET), then submitted (POST).
async function kratosFlow(kratos: HttpJson, kind: "registration" | "login", submission: Record<string, unknown>) {
  const flow = expectStatus(await kratos.get(`/self-service/${kind}/api`), 200, `${kind} flow`);
  return expectStatus(
    await kratos.post(`/self-service/${kind}?flow=${String(flow.id)}`, { json: { method: "password", ...submission } }),
    200,
    kind,
  );
}

export function kratosRegisterCall(kratos: HttpJson, runId: string, phase: string) {
  return async (n: number) => {
    const body = await kratosFlow(kratos, "registration", {
      traits: { email: benchUser(runId, phase, n).email },
      password: BENCH_PASSWORD,
    });
    if (typeof body.session_token !== "string") throw new HttpCallError("registration answered without a session", "NO_SESSION");
  };
}

export function kratosLoginCall(kratos: HttpJson, emails: readonly string[]) {
  return async (n: number) => {
    const body = await kratosFlow(kratos, "login", { identifier: emails[n % emails.length], password: BENCH_PASSWORD });
    if (typeof body.session_token !== "string") throw new HttpCallError("login answered without a session", "NO_SESSION");
  };
}

// A Hydra client for the client-credentials grant, made through its admin API.
export async function hydraServiceClient(hydraAdmin: HttpJson): Promise<{ clientId: string; clientSecret: string }> {
  const body = expectStatus(
    await hydraAdmin.post("/admin/clients", {
      json: { client_name: "bench", grant_types: ["client_credentials"], token_endpoint_auth_method: "client_secret_basic" },
    }),
    201,
    "create client",
  );
  return { clientId: String(body.client_id), clientSecret: String(body.client_secret) };
}

export function tokenCall(provider: HttpJson, path: string, client: { clientId: string; clientSecret: string }) {
  const authorization = basicAuthorization(client.clientId, client.clientSecret);
  return async () => {
    const body = expectStatus(await provider.post(path, { form: { grant_type: "client_credentials" } }, authorization), 200, "token");
    if (typeof body.access_token !== "string") throw new HttpCallError("the grant answered without a token", "NO_TOKEN");
    return body.access_token;
  };
}

// RFC 7662. FlowShield's endpoint authenticates the caller (a client of its own, as the RFC asks of
// a public endpoint); Hydra's is on its admin listener, which asks nothing of its callers.
export function introspectionCall(endpoint: HttpJson, path: string, token: string, headers: Record<string, string> = {}) {
  return async () => {
    const body = expectStatus(await endpoint.post(path, { form: { token } }, headers), 200, "introspection");
    if (body.active !== true) throw new HttpCallError("introspection answered inactive", "INACTIVE");
  };
}

export { basicAuthorization };
