import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { startAuthService, type RunningAuthService } from "@flowshield/auth/server";
import { createInternalClient } from "@flowshield/common/runtime/internal-client";
import { OAuthClientAdminService, OAuthClientType, OAuthGrantType } from "@flowshield/gen/flowshield/auth/v1/oauth_client_admin_service_pb";
import { freePort } from "../../scripts/free-port";
import { OPERATOR_CREDENTIAL } from "../support/env";
import { quietLog, testAuthConfig } from "../support/stack";

// The provider's fast path (issue 22) attacked: clients are kept in memory (a deleted one must stop
// working — at once where it was deleted, within CLIENT_CACHE_TTL_MS on another replica), one
// token's lookups as every kind are one query (concurrent introspections of many tokens must each
// get their own answer), and token grants' audit events are written in batches (none lost, none
// doubled).

jest.setTimeout(90_000);

// Two replicas of the auth service on one database.
let replicas: { auth: RunningAuthService; base: string }[] = [];
const admin = () => createInternalClient(OAuthClientAdminService, replicas[0]!.auth.internalUrl, OPERATOR_CREDENTIAL);

beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    replicas.push({ base, auth: await startAuthService(testAuthConfig({ publicPort: port, publicUrl: base }), quietLog) });
  }
});
afterAll(async () => {
  for (const r of replicas) await r.auth.close();
  replicas = [];
});

interface Client {
  clientId: string;
  clientSecret: string;
}

async function serviceClient(): Promise<Client> {
  const created = await admin().createClient({
    name: "A service",
    type: OAuthClientType.CONFIDENTIAL,
    grantTypes: [OAuthGrantType.CLIENT_CREDENTIALS],
  });
  return { clientId: created.client!.clientId, clientSecret: created.clientSecret };
}

function post(base: string, path: string, client: Client, form: Record<string, string>) {
  return fetch(`${base}/oidc${path}`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(form).toString(),
  });
}

const grant = (base: string, client: Client) => post(base, "/token", client, { grant_type: "client_credentials" });

async function token(base: string, client: Client): Promise<string> {
  const res = await grant(base, client);
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function introspect(base: string, client: Client, token: string): Promise<{ active: boolean; client_id?: string }> {
  const res = await post(base, "/token/introspection", client, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as { active: boolean; client_id?: string };
}

test("a deleted client's stolen secret is refused at once by the replica that deleted it, though a burst of grants had just cached it", async () => {
  const { base } = replicas[0]!;
  const stolen = await serviceClient();
  const before = await Promise.all(Array.from({ length: 16 }, () => grant(base, stolen)));
  expect(before.map((r) => r.status)).toEqual(Array(16).fill(200));
  const issued = await token(base, stolen);

  await admin().deleteClient({ clientId: stolen.clientId });
  const after = await Promise.all(Array.from({ length: 16 }, () => grant(base, stolen)));
  expect(after.map((r) => r.status)).toEqual(Array(16).fill(401));
  expect(await Promise.all(after.map(async (r) => ((await r.json()) as { error: string }).error))).toEqual(
    Array(16).fill("invalid_client"),
  );
  expect((await post(base, "/token/introspection", stolen, { token: issued })).status).toBe(401);
});

test("another replica refuses a deleted client within the cache's 10 seconds, and for good after", async () => {
  const [a, b] = [replicas[0]!, replicas[1]!];
  const stolen = await serviceClient();
  // The other replica has the client in its memory.
  expect((await grant(b.base, stolen)).status).toBe(200);
  await admin().deleteClient({ clientId: stolen.clientId });
  const deletedAt = Date.now();
  expect((await grant(a.base, stolen)).status).toBe(401);
  let refusedAfterMs: number | undefined;
  while (refusedAfterMs === undefined && Date.now() - deletedAt < 20_000) {
    const statuses = await Promise.all(Array.from({ length: 4 }, async () => (await grant(b.base, stolen)).status));
    expect(statuses.every((s) => s === 200 || s === 401)).toBe(true);
    if (statuses.every((s) => s === 401)) refusedAfterMs = Date.now() - deletedAt;
    else await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(refusedAfterMs).toBeDefined();
  // The cache's 10 seconds, and a loaded machine's second.
  expect(refusedAfterMs!).toBeLessThanOrEqual(11_000);
  const later = await Promise.all(Array.from({ length: 8 }, () => grant(b.base, stolen)));
  expect(later.map((r) => r.status)).toEqual(Array(8).fill(401));
});

test("60 concurrent introspections of many tokens — own, a stranger's, revoked, made up — each get their own answer", async () => {
  const { base } = replicas[0]!;
  const clients = await Promise.all([serviceClient(), serviceClient(), serviceClient()]);
  const tokens = await Promise.all(
    clients.map(async (c) => ({ client: c, tokens: await Promise.all([1, 2, 3].map(() => token(base, c))) })),
  );
  const revoked = tokens[0]!.tokens[2]!;
  const revocation = await post(base, "/token/revocation", clients[0]!, { token: revoked });
  expect(revocation.status).toBe(200);

  const cases: { asker: Client; token: string; active: boolean }[] = [];
  for (let i = 0; i < 60; i++) {
    const asker = clients[i % 3]!;
    const own = tokens[i % 3]!.tokens[i % 2]!;
    const strangers = tokens[(i + 1) % 3]!.tokens[i % 2]!;
    const kind = i % 4;
    if (kind === 0) cases.push({ asker, token: own, active: true });
    if (kind === 1) cases.push({ asker, token: strangers, active: false });
    if (kind === 2) cases.push({ asker: clients[0]!, token: revoked, active: false });
    if (kind === 3) cases.push({ asker, token: randomBytes(32).toString("base64url"), active: false });
  }
  const answers = await Promise.all(cases.map((c) => introspect(base, c.asker, c.token)));
  answers.forEach((answer, i) => {
    expect(answer.active).toBe(cases[i]!.active);
    if (cases[i]!.active) expect(answer.client_id).toBe(cases[i]!.asker.clientId);
  });
});

test("40 concurrent grants on two replicas leave exactly 40 audit events, each with its client", async () => {
  const clients = await Promise.all([serviceClient(), serviceClient()]);
  const statuses = await Promise.all(
    Array.from({ length: 40 }, async (_, i) => (await grant(replicas[i % 2]!.base, clients[i % 2]!)).status),
  );
  expect(statuses).toEqual(Array(40).fill(200));
  const db = replicas[0]!.auth.db;
  // The events of a batch are written after the answer: wait for them, then check none is extra.
  const count = async (clientId: string) =>
    Number(
      (
        await db
          .selectFrom("audit_events")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("type", "=", "oidc_token_issued")
          .where(sql<string>`detail->>'client_id'`, "=", clientId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const deadline = Date.now() + 10_000;
  while ((await count(clients[0]!.clientId)) + (await count(clients[1]!.clientId)) < 40 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await count(clients[0]!.clientId)).toBe(20);
  expect(await count(clients[1]!.clientId)).toBe(20);
});
