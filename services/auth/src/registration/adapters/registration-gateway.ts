import { createHash } from "node:crypto";
import {
  ApplicationFailure,
  isGrpcDeadlineError,
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
} from "@temporalio/client";
import { Counter, type Registry } from "prom-client";
import { ERROR_CATALOGUE } from "@flowshield/common/contract/error-catalogue";
import { DomainError, UnavailableError } from "@flowshield/common/contract/errors";
import { domainErrorFromFailure } from "@flowshield/contracts/failure-codec";
import { REGISTRATION_WORKFLOW, type RegistrationInput, type RegistrationResult } from "@flowshield/contracts/registration";
import type { TemporalClient } from "@flowshield/common/temporal/client";
import type { RegistrationGateway } from "../app/dependencies";

export interface RegistrationGatewayOptions {
  taskQueue: string;
  // How long Register waits for Temporal to accept the workflow before answering UNAVAILABLE.
  startTimeoutMs: number;
  // How long Register waits for the saga to finish before answering DEADLINE_EXCEEDED.
  resultTimeoutMs: number;
}

// One workflow id per normalised email: Temporal refuses a second concurrent saga for the same
// email, and the users table's unique index backs it. Hashed, so the email is not shown as an id.
export function registrationWorkflowId(email: string): string {
  return `registration-${createHash("sha256").update(email).digest("hex").slice(0, 40)}`;
}

// A business failure of the saga, back as the domain error a saga step raised (same kind, reason,
// field and message), so the caller hears what the service that refused said.
function fromWorkflowFailure(failure: ApplicationFailure): DomainError | undefined {
  const domain = domainErrorFromFailure(failure, "REGISTRATION_FAILED");
  return domain === undefined || ERROR_CATALOGUE[domain.kind].retryable ? undefined : domain;
}

// Starts the registration saga on Temporal and waits for its answer. Counts the sagas started
// (how each one ends is counted by the worker, which sees every end, also after Register gave up).
export function createRegistrationGateway(
  temporalClient: TemporalClient,
  options: RegistrationGatewayOptions,
  registry: Registry,
): RegistrationGateway {
  const temporal = temporalClient.client;
  const started = new Counter({
    name: "flowshield_registrations_started_total",
    help: "Registration sagas started",
    registers: [registry],
  });
  async function start(input: RegistrationInput) {
    const workflowId = registrationWorkflowId(input.email);
    try {
      return await temporalClient.track(() =>
        temporal.connection.withDeadline(Date.now() + options.startTimeoutMs, () =>
          temporal.workflow.start(REGISTRATION_WORKFLOW, {
            taskQueue: options.taskQueue,
            workflowId,
            args: [input],
            // A running saga for this email is never joined or replaced; a finished one may be
            // followed by a new one (whose createUser then finds the email taken).
            workflowIdConflictPolicy: "FAIL",
            workflowIdReusePolicy: "ALLOW_DUPLICATE",
          }),
        ),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new DomainError("aborted", "REGISTRATION_IN_PROGRESS", "a registration for this email is already in progress; retry shortly");
      }
      if (isGrpcDeadlineError(err) || isGrpcServiceError(err))
        throw new UnavailableError("REGISTRATION_UNAVAILABLE", "registration is unavailable right now; retry shortly");
      throw err;
    }
  }

  async function awaitResult(handle: Awaited<ReturnType<typeof start>>, signal: AbortSignal): Promise<RegistrationResult> {
    const timeout = AbortSignal.timeout(options.resultTimeoutMs);
    try {
      return await temporalClient.track(() =>
        temporal.connection.withAbortSignal(AbortSignal.any([signal, timeout]), () => handle.result()),
      );
    } catch (err) {
      if (err instanceof WorkflowFailedError) {
        const failure = err.cause instanceof ApplicationFailure ? fromWorkflowFailure(err.cause) : undefined;
        throw failure ?? new DomainError("aborted", "REGISTRATION_STOPPED", "registration was stopped before it finished; retry");
      }
      if (timeout.aborted) {
        throw new DomainError(
          "deadlineExceeded",
          "REGISTRATION_PENDING",
          `registration is taking longer than expected and goes on in the background (workflow ${handle.workflowId})`,
        );
      }
      if (signal.aborted) throw new DomainError("canceled", "CALLER_LEFT", "the caller went away");
      if (isGrpcServiceError(err))
        throw new UnavailableError("REGISTRATION_UNAVAILABLE", "lost contact with the registration workflow; retry shortly");
      throw err;
    }
  }

  return {
    async register(input, signal) {
      const handle = await start(input);
      started.inc();
      const { userId } = await awaitResult(handle, signal);
      return { userId, workflowId: handle.workflowId };
    },
  };
}
