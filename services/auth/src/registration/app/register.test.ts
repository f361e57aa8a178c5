import { DomainError } from "@flowshield/common/contract/errors";
import { CALLER, inMemoryApp, refusal } from "../../testing/in-memory-deps";

// Register's rules over in-memory fakes; test/e2e/ runs the saga itself on Temporal with both
// services and their databases.

const ADA = { email: "Ada@Example.com", password: "correct horse battery", username: "ada", displayName: "Ada" };
const signal = () => AbortSignal.timeout(5_000);

function setup() {
  const { world, app } = inMemoryApp();
  const started: string[] = [];
  const saga = world.deps.registration.register;
  world.deps.registration.register = async (input, s) => {
    started.push(input.userId);
    return saga(input, s);
  };
  return { world, app, started };
}

test("a bad field is refused before any hashing or saga, and spends no quota", async () => {
  const { world, app, started } = setup();
  world.quotas.set("register", 1);
  for (const [field, bad] of [
    ["email", { ...ADA, email: "not an email" }],
    ["password", { ...ADA, password: "password" }],
    ["username", { ...ADA, username: "" }],
  ] as const) {
    expect((await refusal(app.register(bad, CALLER, signal()))).field).toBe(field);
  }
  expect(started).toEqual([]);
  expect(world.quotas.get("register")).toBe(1);
});

test("a spent quota starts nothing", async () => {
  const { world, app, started } = setup();
  world.quotas.set("register", 0);
  expect((await refusal(app.register(ADA, CALLER, signal()))).kind).toBe("resourceExhausted");
  expect(started).toEqual([]);
  expect(world.users.size).toBe(0);
});

test("the saga's refusal discards the kept hash; an unknown outcome keeps it for the saga that may still run", async () => {
  const { world, app } = setup();
  const kept: Array<string | undefined> = [];
  for (const failure of [new DomainError("alreadyExists", "EMAIL_TAKEN", "taken"), new DomainError("deadlineExceeded", "SLOW", "slow")]) {
    world.deps.registration.register = async (input) => {
      kept.push(input.userId);
      throw failure;
    };
    expect(await refusal(app.register(ADA, CALLER, signal()))).toBe(failure);
  }
  expect(await world.deps.credentials.find(kept[0] ?? "")).toBeUndefined();
  expect(await world.deps.credentials.find(kept[1] ?? "")).toBe("plain:correct horse battery");
});

test("a registration answers with the user the saga made, under the normalised email, and the address becomes known", async () => {
  const { world, app } = setup();
  const { user, workflowId } = await app.register(ADA, CALLER, signal());
  expect(user).toMatchObject({ email: "ada@example.com", status: "active" });
  expect(workflowId).toBe(`registration-${user.id}`);
  expect(world.knownAddresses.has(`ada@example.com ${CALLER.ip}`)).toBe(true);
  expect((await refusal(app.register(ADA, CALLER, signal()))).kind).toBe("alreadyExists");
});
