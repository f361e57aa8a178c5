// The errors FlowShield raises, by kind. Domain code throws these and knows nothing of gRPC or
// Temporal; error-catalogue.ts maps each kind to a status code and a workflow failure type, once.
// `reason` is stable (UPPER_SNAKE_CASE, google.rpc.ErrorInfo's reason): clients may branch on it;
// the message is for people and may change.

export type ErrorKind =
  | "invalidArgument"
  | "alreadyExists"
  | "notFound"
  | "permissionDenied"
  | "failedPrecondition"
  | "unauthenticated"
  | "resourceExhausted"
  | "aborted"
  | "unavailable"
  | "deadlineExceeded"
  | "canceled";

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly reason: string,
    message: string,
    // The request field at fault, by its proto name, when there is one.
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

// Malformed input: `field: description`, e.g. "password: must be at least 8 bytes".
export class ValidationError extends DomainError {
  constructor(
    field: string,
    readonly description: string,
  ) {
    super("invalidArgument", "INVALID_FIELD", `${field}: ${description}`, field);
    this.name = "ValidationError";
  }

  // ValidationError is always about a field.
  declare readonly field: string;
}

export class AlreadyExistsError extends DomainError {
  constructor(field: string, reason: string, message: string) {
    super("alreadyExists", reason, message, field);
    this.name = "AlreadyExistsError";
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super("notFound", `${what.toUpperCase().replace(/\W+/g, "_")}_NOT_FOUND`, `${what} not found`);
    this.name = "NotFoundError";
  }
}

export class PermissionDeniedError extends DomainError {
  constructor(reason: string, message: string) {
    super("permissionDenied", reason, message);
    this.name = "PermissionDeniedError";
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(reason: string, message: string) {
    super("unauthenticated", reason, message);
    this.name = "UnauthenticatedError";
  }
}

// A dependency (a database, Temporal, a peer) cannot be reached now: the caller may retry.
export class UnavailableError extends DomainError {
  // The failure behind it, kept for the log (Error's cause), never sent to the caller.
  constructor(reason: string, message: string, cause?: unknown) {
    super("unavailable", reason, message);
    this.name = "UnavailableError";
    if (cause !== undefined) this.cause = cause;
  }
}

// A limit was reached (too many attempts): RESOURCE_EXHAUSTED, with when to try again
// (google.rpc.RetryInfo, and a retry-after header on Connect).
export class RateLimitedError extends DomainError {
  constructor(
    reason: string,
    message: string,
    readonly retryAfterMs: number,
    // The limit this refusal is the first of in its window, if it is: what the audit trail records
    // (later refusals are only counted, so a flood does not write a row per call).
    readonly firstRefusalOf?: string,
  ) {
    super("resourceExhausted", reason, message);
    this.name = "RateLimitedError";
  }
}
