import { Code, ConnectError } from "@connectrpc/connect";
import { AlreadyExistsError, NotFoundError, PermissionDeniedError, ValidationError } from "./errors";
import { isDependencyUnavailable } from "./unavailable";

// Domain error -> status code. Anything else is a bug of ours, and Connect answers it with
// INTERNAL and a generic message, so no detail of an unexpected failure reaches the caller.
export function toConnectError(err: unknown): unknown {
  if (err instanceof ConnectError) return err;
  if (err instanceof ValidationError) return new ConnectError(err.message, Code.InvalidArgument);
  if (err instanceof AlreadyExistsError) return new ConnectError(err.message, Code.AlreadyExists);
  if (err instanceof NotFoundError) return new ConnectError(err.message, Code.NotFound);
  if (err instanceof PermissionDeniedError) return new ConnectError(err.message, Code.PermissionDenied);
  // The database (or a peer) could not be reached: the caller may retry, and the cause stays in our log.
  if (isDependencyUnavailable(err)) return new ConnectError("temporarily unavailable; retry shortly", Code.Unavailable, undefined, undefined, err);
  return err;
}

// Runs a handler body and translates the domain errors it throws.
export async function translatingErrors<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toConnectError(err);
  }
}
