import { createHash } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  ApplicationFailure,
  Client,
  Connection,
  isGrpcDeadlineError,
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
} from "@temporalio/client";
import {
  FailureType,
  REGISTRATION_WORKFLOW,
  type RegistrationInput,
  type RegistrationResult,
} from "@flowshield/workflows/registration-contract";
import { encryptedDataConverter, type PayloadKey } from "@flowshield/common/payload-codec";
import { requestIdClientInterceptor } from "@flowshield/workflows/request-context/client-interceptor";

export interface RegistrationStarterOptions {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  payloadKeys: PayloadKey[];
  // How long Register waits for Temporal to accept the workflow before answering UNAVAILABLE.
  startTimeoutMs: number;
  // How long Register waits for the saga to finish before answering DEADLINE_EXCEEDED.
  resultTimeoutMs: number;
}

export interface RegistrationStarter {
  register(input: RegistrationInput, signal: AbortSignal): Promise<{ result: RegistrationResult; workflowId: string }>;
  // Resolves when the Temporal frontend answers: the AuthService entry's readiness check.
  ping(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

// One workflow id per normalised email: Temporal refuses a second concurrent saga for the same
// email, and the users table's unique index backs it. Hashed, so the email is not shown as an id.
export function registrationWorkflowId(email: string): string {
  return `registration-${createHash("sha256").update(email).digest("hex").slice(0, 40)}`;
}

const FAILURE_CODES: Record<string, Code> = {
  [FailureType.invalidArgument]: Code.InvalidArgument,
  [FailureType.alreadyExists]: Code.AlreadyExists,
  [FailureType.permissionDenied]: Code.PermissionDenied,
  [FailureType.notFound]: Code.NotFound,
};

// The connection is lazy: the auth service starts, and Login keeps working, while Temporal is down.
export function createRegistrationStarter(options: RegistrationStarterOptions): RegistrationStarter {
  const connection = Connection.lazy({ address: options.temporalAddress });
  const client = new Client({
    connection,
    namespace: options.namespace,
    dataConverter: encryptedDataConverter(options.payloadKeys),
    interceptors: { workflow: [requestIdClientInterceptor] },
  });

  async function start(input: RegistrationInput) {
    const workflowId = registrationWorkflowId(input.email);
    try {
      return await connection.withDeadline(Date.now() + options.startTimeoutMs, () =>
        client.workflow.start(REGISTRATION_WORKFLOW, {
          taskQueue: options.taskQueue,
          workflowId,
          args: [input],
          // A running saga for this email is never joined or replaced; a finished one may be
          // followed by a new one (whose createUser then finds the email taken).
          workflowIdConflictPolicy: "FAIL",
          workflowIdReusePolicy: "ALLOW_DUPLICATE",
        }),
      );
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new ConnectError("a registration for this email is already in progress; retry shortly", Code.Aborted);
      }
      if (isGrpcDeadlineError(err) || isGrpcServiceError(err)) {
        throw new ConnectError("registration is unavailable right now; retry shortly", Code.Unavailable);
      }
      throw err;
    }
  }

  async function awaitResult(handle: Awaited<ReturnType<typeof start>>, signal: AbortSignal): Promise<RegistrationResult> {
    const timeout = AbortSignal.timeout(options.resultTimeoutMs);
    try {
      return await connection.withAbortSignal(AbortSignal.any([signal, timeout]), () => handle.result());
    } catch (err) {
      if (err instanceof WorkflowFailedError) {
        const cause = err.cause;
        if (cause instanceof ApplicationFailure && cause.type && FAILURE_CODES[cause.type] !== undefined) {
          throw new ConnectError(cause.message, FAILURE_CODES[cause.type]);
        }
        throw new ConnectError("registration was stopped before it finished; retry", Code.Aborted);
      }
      if (timeout.aborted) {
        throw new ConnectError(
          `registration is taking longer than expected and goes on in the background (workflow ${handle.workflowId})`,
          Code.DeadlineExceeded,
        );
      }
      if (signal.aborted) throw new ConnectError("the caller went away", Code.Canceled);
      if (isGrpcServiceError(err)) {
        throw new ConnectError("lost contact with the registration workflow; retry shortly", Code.Unavailable);
      }
      throw err;
    }
  }

  return {
    async register(input, signal) {
      const handle = await start(input);
      return { result: await awaitResult(handle, signal), workflowId: handle.workflowId };
    },
    async ping(timeoutMs) {
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    },
    close: () => connection.close(),
  };
}
