import * as net from "node:net";

// Waiting for a process we started to be ready: `ready` is asked every intervalMs until it answers
// true (an exception counts as "not yet"); the wait fails at once when the process has exited, and
// after timeoutMs. Every start-up wait of the dev, test and bench stacks is this one loop.
export async function pollUntil(
  what: string,
  ready: () => Promise<boolean>,
  options: { process?: { exitCode: number | null }; timeoutMs: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const exitCode = options.process?.exitCode ?? null;
    if (exitCode !== null) throw new Error(`${what} exited with code ${exitCode}`);
    if (await ready().catch(() => false)) return;
    if (Date.now() >= deadline) throw new Error(`${what} was not ready within ${options.timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 300));
  }
}

// Whether a TCP port on this machine accepts connections.
export function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

// Whether an HTTP GET of `url` answers 2xx.
export function httpOk(url: string): Promise<boolean> {
  return fetch(url).then((res) => res.ok);
}
