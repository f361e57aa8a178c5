import * as net from "node:net";
import { LISTENERS, type ListenerName } from "@flowshield/common/runtime/topology";

// A loopback port nothing listens on at the moment of asking, for a server another process (or a
// later call) binds. Not the kernel's pick (port 0): that comes from the ephemeral range
// (32768–60999 on Linux, 49152–65535 on macOS), which the kernel also hands to outgoing
// connections — a database client's socket could take the port before the server bound it, which
// is how a cold `make test` once lost a suite to "exited with code 1" at start. These come from
// below that range, where only explicit binds land, and each jest worker walks a slice of its
// own (the test runner and the benchmark, outside jest, the first), so two callers never race for
// one port.
const FIRST = 20_000;
const SLICES = 12;
const SLICE_SIZE = 1_000;
const slice = Number(process.env.JEST_WORKER_ID ?? 0) % SLICES;
let offset = 0;

export async function freePort(): Promise<number> {
  for (let tries = 0; tries < SLICE_SIZE; tries++) {
    const port = FIRST + slice * SLICE_SIZE + (offset++ % SLICE_SIZE);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${FIRST + slice * SLICE_SIZE}–${FIRST + (slice + 1) * SLICE_SIZE - 1}`);
}

// A free port for each of FlowShield's listeners: a stack of processes on this machine (their
// environment: listenerEnv).
export async function freeListenerPorts(): Promise<Record<ListenerName, number>> {
  const ports: Partial<Record<ListenerName, number>> = {};
  for (const name of Object.keys(LISTENERS) as ListenerName[]) ports[name] = await freePort();
  return ports as Record<ListenerName, number>;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}
