import { Code, ConnectError } from "@connectrpc/connect";

// The outcome of a call: "ok", or the status code and message it failed with.
export async function outcomeOf(promise: Promise<unknown>): Promise<{ code: Code | "ok"; message?: string }> {
  try {
    await promise;
    return { code: "ok" };
  } catch (err) {
    const connectErr = ConnectError.from(err);
    return { code: connectErr.code, message: connectErr.rawMessage };
  }
}

export { Code };
