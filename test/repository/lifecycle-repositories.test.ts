import { createDatabase, migrateToLatest } from "@flowshield/common/runtime/database";
import { authMigrations, createEmailCodes, createUserRepository, insertUserIfAbsent, type AuthDatabase } from "@flowshield/auth/db";
import { testEnv, uniqueEmail } from "../support/env";
import { quietLog } from "../support/stack";

// The database guards the lifecycle relies on, on the real Postgres: a verification and the
// deadline's expiry can race, and exactly one of them wins; a code works once; a fresh code leaves
// the last ones live.

const db = createDatabase<AuthDatabase>(testEnv.authDatabaseUrl(), quietLog, { maxConnections: 4 });
const users = createUserRepository(db);
const codes = createEmailCodes(db);
const caller = { requestId: "test", ip: "", userAgent: "" };
beforeAll(async () => {
  await migrateToLatest(db, authMigrations);
});
afterAll(async () => {
  await db.destroy();
});

async function unverifiedUserWithCode(hash: string): Promise<string> {
  const id = crypto.randomUUID();
  await insertUserIfAbsent(db, { id, email: uniqueEmail(), password_hash: "$2b$04$x", status: "active" });
  await codes.issue(id, "verify_email", hash, new Date(Date.now() + 60_000));
  return id;
}

const verify = (id: string, hash: string) => codes.consume(id, "verify_email", hash, new Date(), { verifyEmail: true }, caller, []);

test("verified first: the deadline keeps the account", async () => {
  const id = await unverifiedUserWithCode("h1");
  expect(await verify(id, "h1")).toBe(true);
  expect(await users.expireUnverified(id, caller, [])).toBe("verified");
  expect((await users.findById(id))?.status).toBe("active");
});

test("expired first: the code no longer verifies the account being removed", async () => {
  const id = await unverifiedUserWithCode("h2");
  expect(await users.expireUnverified(id, caller, [])).toBe("expired");
  expect(await verify(id, "h2")).toBe(false);
  expect((await users.findById(id))?.emailVerified).toBe(false);
});

test("racing: exactly one of the two wins, whichever it is", async () => {
  for (let i = 0; i < 10; i++) {
    const id = await unverifiedUserWithCode(`race${i}`);
    const [verified, expiry] = await Promise.all([verify(id, `race${i}`), users.expireUnverified(id, caller, [])]);
    expect(verified !== (expiry === "expired")).toBe(true);
    const user = await users.findById(id);
    expect(user?.emailVerified).toBe(verified);
    expect(user?.status).toBe(verified ? "active" : "disabled");
  }
});

test("a code is consumed once under concurrency, and its siblings with it", async () => {
  const id = await unverifiedUserWithCode("once");
  await codes.issue(id, "verify_email", "sibling", new Date(Date.now() + 60_000));
  const results = await Promise.all(Array.from({ length: 8 }, () => verify(id, "once")));
  expect(results.filter(Boolean)).toHaveLength(1);
  expect(await codes.check(id, "verify_email", "sibling", new Date())).toBe("wrong");
});

test("a fresh code leaves the last ones live, up to five; wrong guesses kill none of them", async () => {
  const id = await unverifiedUserWithCode("c0");
  for (let i = 1; i <= 5; i++) await codes.issue(id, "verify_email", `c${i}`, new Date(Date.now() + 60_000 + i * 1_000));
  for (let i = 0; i < 20; i++) expect(await codes.check(id, "verify_email", `guess${i}`, new Date())).toBe("wrong");
  // The oldest went when the sixth came; the five newest all work.
  expect(await codes.check(id, "verify_email", "c0", new Date())).toBe("wrong");
  for (let i = 1; i <= 5; i++) expect(await codes.check(id, "verify_email", `c${i}`, new Date())).toBe("ok");
});
