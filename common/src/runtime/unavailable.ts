// Errors that mean a dependency (a database, a peer service) could not be reached or went away in
// the middle of a call: the caller should retry, so they are UNAVAILABLE, never INTERNAL. Told
// apart by the codes and messages Node's sockets and the pg driver use, so no adapter's types are
// needed to recognise them.

const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

// SQLSTATE class 08 (connection exception), 57P01-57P03 (the server is shutting down, crashed or
// starting up), 53300 (too many connections).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

// pg's own messages for a connection that ended, timed out or was never made.
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /is not queryable/,
  /^Query read timeout/,
  /^Client was closed/,
];

// An Error of any realm: Node's own socket errors are made in the main realm, so under a vm context
// (Jest runs tests in one, services started in-process among them) they are no `instanceof Error`
// there — a refused connection would then pass for a bug of ours.
function isError(err: unknown): err is Error & { code?: unknown; errors?: unknown } {
  return Object.prototype.toString.call(err) === "[object Error]";
}

export function isDependencyUnavailable(err: unknown): boolean {
  if (!isError(err)) return false;
  const code = err.code;
  if (typeof code === "string" && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  if (DRIVER_MESSAGES.some((pattern) => pattern.test(err.message))) return true;
  // Node reports a connection refused on every address of a host as one AggregateError.
  if (Array.isArray(err.errors)) return err.errors.some(isDependencyUnavailable);
  return false;
}
