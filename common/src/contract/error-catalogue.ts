import { Code, ConnectError } from "@connectrpc/connect";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { BadRequestSchema, ErrorInfoSchema, RetryInfoSchema } from "@flowshield/gen/google/rpc/error_details_pb";
import { DomainError, RateLimitedError, UnavailableError, type ErrorKind } from "./errors";
import { isDependencyUnavailable } from "../runtime/unavailable";

// The one table of error kinds: the status code each answers with, the HTTP status a hosted page
// answers with (an account's state that forbids the request is 403 there), the ApplicationFailure
// type it travels as through Temporal, and whether a saga step that meets it is retried (an
// infrastructure problem an operator can fix) or compensated at once (a business failure: the
// request can never succeed). Every mapper reads this table.
export const ERROR_CATALOGUE: Record<ErrorKind, { code: Code; httpStatus: number; failureType: string; retryable: boolean }> = {
  invalidArgument: { code: Code.InvalidArgument, httpStatus: 400, failureType: "InvalidArgument", retryable: false },
  alreadyExists: { code: Code.AlreadyExists, httpStatus: 409, failureType: "AlreadyExists", retryable: false },
  notFound: { code: Code.NotFound, httpStatus: 404, failureType: "NotFound", retryable: false },
  permissionDenied: { code: Code.PermissionDenied, httpStatus: 403, failureType: "PermissionDenied", retryable: false },
  failedPrecondition: { code: Code.FailedPrecondition, httpStatus: 403, failureType: "FailedPrecondition", retryable: false },
  unauthenticated: { code: Code.Unauthenticated, httpStatus: 401, failureType: "Unauthenticated", retryable: true },
  resourceExhausted: { code: Code.ResourceExhausted, httpStatus: 429, failureType: "ResourceExhausted", retryable: true },
  aborted: { code: Code.Aborted, httpStatus: 409, failureType: "Aborted", retryable: true },
  unavailable: { code: Code.Unavailable, httpStatus: 503, failureType: "Unavailable", retryable: true },
  deadlineExceeded: { code: Code.DeadlineExceeded, httpStatus: 504, failureType: "DeadlineExceeded", retryable: true },
  canceled: { code: Code.Canceled, httpStatus: 499, failureType: "Canceled", retryable: true },
};

// ErrorInfo.domain for every FlowShield error.
export const ERROR_DOMAIN = "flowshield";

const KINDS = Object.keys(ERROR_CATALOGUE) as ErrorKind[];

export function kindOfCode(code: Code): ErrorKind | undefined {
  return KINDS.find((kind) => ERROR_CATALOGUE[kind].code === code);
}

export function kindOfFailureType(type: string | undefined | null): ErrorKind | undefined {
  return KINDS.find((kind) => ERROR_CATALOGUE[kind].failureType === type);
}

// A domain error as a Connect error: its code, its message, and structured details —
// google.rpc.ErrorInfo (the stable reason, and the field) and, for a field at fault,
// google.rpc.BadRequest — so that clients need not parse messages. A dependency that could not be
// reached is UNAVAILABLE. Anything else is a bug of ours: it is returned as is, and Connect
// answers INTERNAL with a generic message, so no detail of an unexpected failure reaches the caller.
export function toConnectError(err: unknown): unknown {
  if (err instanceof ConnectError) return err;
  const domain =
    err instanceof DomainError
      ? err
      : isDependencyUnavailable(err)
        ? new UnavailableError("DEPENDENCY_UNAVAILABLE", "temporarily unavailable; retry shortly")
        : undefined;
  if (domain === undefined) return err;
  const metadata: Record<string, string> = domain.field !== undefined ? { field: domain.field } : {};
  const details = [
    { desc: ErrorInfoSchema, value: { reason: domain.reason, domain: ERROR_DOMAIN, metadata } },
    ...(domain.kind === "invalidArgument" && domain.field !== undefined
      ? [{ desc: BadRequestSchema, value: { fieldViolations: [{ field: domain.field, description: fieldDescription(domain) }] } }]
      : []),
    ...(domain instanceof RateLimitedError ? [{ desc: RetryInfoSchema, value: { retryDelay: durationFromMs(domain.retryAfterMs) } }] : []),
  ];
  // Connect sends an error's metadata as response headers: HTTP clients and proxies read retry-after.
  const headers =
    domain instanceof RateLimitedError ? { "retry-after": String(Math.max(1, Math.ceil(domain.retryAfterMs / 1000))) } : undefined;
  // The original error stays as the cause: the request log shows why a dependency was unavailable.
  return new ConnectError(domain.message, ERROR_CATALOGUE[domain.kind].code, headers, details, domain === err ? undefined : err);
}

function fieldDescription(err: DomainError): string {
  const prefix = `${err.field}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

// A Connect error from one of our services, back as the domain error it was raised as (its kind
// from the code, its reason and field from ErrorInfo); undefined for a code the catalogue lacks.
export function domainErrorFromConnect(err: ConnectError): DomainError | undefined {
  const kind = kindOfCode(err.code);
  if (kind === undefined) return undefined;
  const info = err.findDetails(ErrorInfoSchema)[0];
  return new DomainError(kind, info?.reason || kind.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(), err.rawMessage, info?.metadata.field);
}

// Runs a handler body and translates the domain errors it throws.
export async function translatingErrors<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toConnectError(err);
  }
}
