import { randomUUID } from "node:crypto";
import { ADA, CALLER, inMemoryApp, refusal, signIn } from "../../testing/in-memory-deps";

// Whose grants a user may see and end, over in-memory fakes; test/attacks/account-console.test.ts
// attacks the same rule over the provider, Postgres and real HTTP.

test("a user lists and ends only their own apps, whatever client id they name", async () => {
  const { world, app } = inMemoryApp();
  const ada = world.addUser(ADA);
  const eve = world.addUser({ email: "eve@example.com", password: "another horse battery" });
  const shared = { clientId: randomUUID(), clientName: "Notes", scopes: ["openid"], createTime: new Date() };
  world.grants.set(ada.id, [shared]);
  const evePair = await signIn(app, { email: eve.email, password: "another horse battery" }, CALLER);

  expect(await app.listAppGrants(evePair.accessToken)).toEqual([]);
  await app.revokeAppGrant(evePair.accessToken, { clientId: shared.clientId }, CALLER);
  expect(world.grants.get(ada.id)).toEqual([shared]);

  expect((await refusal(app.revokeAppGrant(evePair.accessToken, { clientId: "not-a-uuid" }, CALLER))).field).toBe("client_id");
  expect((await refusal(app.listAppGrants("forged"))).reason).toBe("ACCESS_TOKEN_INVALID");
});
