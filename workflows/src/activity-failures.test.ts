import { Code, ConnectError } from "@connectrpc/connect";
import { ApplicationFailure } from "@temporalio/common";
import { toActivityFailure } from "./activity-failures";
import { FailureType } from "./registration-contract";

describe("ConnectError -> activity failure", () => {
  test.each([
    [Code.InvalidArgument, FailureType.invalidArgument],
    [Code.AlreadyExists, FailureType.alreadyExists],
    [Code.NotFound, FailureType.notFound],
    [Code.PermissionDenied, FailureType.permissionDenied],
  ])("business code %p is non-retryable %p, message kept", (code, type) => {
    const failure = toActivityFailure(new ConnectError("username is taken", code));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type, nonRetryable: true, message: "username is taken" });
  });

  test.each([Code.Unavailable, Code.DeadlineExceeded, Code.Unauthenticated, Code.Internal, Code.ResourceExhausted])(
    "infrastructure code %p is retried",
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
