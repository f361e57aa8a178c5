import { runInNewContext } from "node:vm";
import { isDependencyUnavailable } from "./unavailable";

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("isDependencyUnavailable", () => {
  test.each([
    withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
    withCode("terminating connection due to administrator command", "57P01"),
    withCode("the database system is starting up", "57P03"),
    withCode("connection failure", "08006"),
    withCode("sorry, too many clients already", "53300"),
    new Error("Connection terminated unexpectedly"),
    new Error("timeout exceeded when trying to connect"),
    new Error("Client has encountered a connection error and is not queryable"),
    new AggregateError([withCode("connect ECONNREFUSED ::1:5432", "ECONNREFUSED")], "connect failed"),
  ])("%p is a dependency that is unavailable", (err) => {
    expect(isDependencyUnavailable(err)).toBe(true);
  });

  // A socket's error is made by Node in its main realm, whichever realm the caller runs in (a test
  // under Jest, the service it started in-process): "read ECONNRESET" once answered INTERNAL there.
  test.each([
    ["a socket error", 'Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })'],
    ["a driver message", 'new Error("Connection terminated unexpectedly")'],
    ["an AggregateError", 'new AggregateError([Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })])'],
  ])("%s made in another realm is one too", (_, source) => {
    const err: unknown = runInNewContext(source);
    expect(err instanceof Error).toBe(false);
    expect(isDependencyUnavailable(err)).toBe(true);
  });

  test("an object that only looks like an error is not", () => {
    expect(isDependencyUnavailable({ message: "read ECONNRESET", code: "ECONNRESET" })).toBe(false);
    expect(isDependencyUnavailable(runInNewContext('({ code: "ECONNRESET" })'))).toBe(false);
  });

  test.each([
    withCode('duplicate key value violates unique constraint "users_email_key"', "23505"),
    withCode("syntax error at or near", "42601"),
    new TypeError("Cannot read properties of undefined"),
    "ECONNREFUSED",
    undefined,
  ])("%p is not", (err) => {
    expect(isDependencyUnavailable(err)).toBe(false);
  });
});
