import { ConnectError } from "@connectrpc/connect";
import { ApplicationFailure } from "@temporalio/common";
import { domainErrorFromConnect, ERROR_CATALOGUE, kindOfFailureType } from "@flowshield/common/contract/error-catalogue";
import { DomainError } from "@flowshield/common/contract/errors";

// A failed call to one of our services, as the failure Temporal should act on (the error
// catalogue decides): a business failure (the request can never succeed) is non-retryable, so the
// saga compensates at once; anything else — UNAVAILABLE, a timeout, a wrong service credential an
// operator can fix, INTERNAL — is retried with backoff. The failure keeps the error's reason and
// field as details, so the workflow's starter can answer its caller with the same error.
export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof ConnectError)) return err;
  const domain = domainErrorFromConnect(err);
  if (domain === undefined) return ApplicationFailure.retryable(err.rawMessage, "Unknown");
  const { failureType, retryable } = ERROR_CATALOGUE[domain.kind];
  return ApplicationFailure.create({
    message: domain.message,
    type: failureType,
    nonRetryable: !retryable,
    details: [domain.reason, domain.field ?? null],
  });
}

// The other way, for the workflow's starter: the domain error a failure carries (its kind from the
// type, its reason and field from the details toActivityFailure wrote), or undefined for a type
// the catalogue lacks.
export function domainErrorFromFailure(failure: ApplicationFailure, fallbackReason: string): DomainError | undefined {
  const kind = kindOfFailureType(failure.type);
  if (kind === undefined) return undefined;
  const [reason, field] = (failure.details ?? []) as [string | undefined, string | null | undefined];
  return new DomainError(kind, reason ?? fallbackReason, failure.message, field ?? undefined);
}
