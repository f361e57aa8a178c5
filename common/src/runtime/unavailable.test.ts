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
