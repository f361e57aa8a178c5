import { Code, ConnectError } from "@connectrpc/connect";
import { ApplicationFailure } from "@temporalio/common";
import { toConnectError } from "@flowshield/common/contract/error-catalogue";
import { AlreadyExistsError, ValidationError } from "@flowshield/common/contract/errors";
import { domainErrorFromFailure, toActivityFailure } from "./failure-codec";

// What a saga step does with a service's error: the error catalogue decides.
describe("ConnectError -> activity failure", () => {
  test.each([
    [new AlreadyExistsError("username", "USERNAME_TAKEN", "username is taken"), "AlreadyExists", ["USERNAME_TAKEN", "username"]],
    [new ValidationError("email", "is not an email address"), "InvalidArgument", ["INVALID_FIELD", "email"]],
  ])("a business failure (%p) is non-retryable, with its type, message, reason and field", (domain, type, details) => {
    const failure = toActivityFailure(toConnectError(domain));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type, nonRetryable: true, message: domain.message, details });
  });

  test.each([Code.Unavailable, Code.DeadlineExceeded, Code.Unauthenticated, Code.Internal, Code.ResourceExhausted, Code.Unknown])(
    "code %p is retried",
    (code) => {
      const failure = toActivityFailure(new ConnectError("down", code));
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect((failure as ApplicationFailure).nonRetryable).toBe(false);
    },
  );

  test("other errors pass through unchanged, to be retried", () => {
    const err = new Error("socket hang up");
    expect(toActivityFailure(err)).toBe(err);
  });
});

test("a failure turns back into the domain error it was made from", () => {
  const taken = new AlreadyExistsError("username", "USERNAME_TAKEN", "username is taken");
  const back = domainErrorFromFailure(toActivityFailure(toConnectError(taken)) as ApplicationFailure, "FALLBACK");
  expect(back).toMatchObject({ kind: "alreadyExists", reason: "USERNAME_TAKEN", field: "username", message: "username is taken" });
  expect(domainErrorFromFailure(ApplicationFailure.create({ message: "x", type: "Unheard-of" }), "FALLBACK")).toBeUndefined();
});
