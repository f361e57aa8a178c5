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

export function isDependencyUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && (SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  if (DRIVER_MESSAGES.some((pattern) => pattern.test(err.message))) return true;
  // Node reports a connection refused on every address of a host as one AggregateError.
  if (err instanceof AggregateError) return err.errors.some(isDependencyUnavailable);
  return false;
}
