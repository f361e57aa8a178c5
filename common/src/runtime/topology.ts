import { envInt } from "./config";

// Where each FlowShield process listens unless told otherwise, and the variable that moves it:
// the one table the config loaders, the image's health check and `make dev` read, and the
// variables the test stacks and the benchmark set (to free ports) through listenerEnv.
export const LISTENERS = {
  authPublic: { variable: "AUTH_PUBLIC_PORT", port: 8081 },
  authInternal: { variable: "AUTH_INTERNAL_PORT", port: 9081 },
  authCodec: { variable: "AUTH_CODEC_PORT", port: 9085 },
  authMetrics: { variable: "AUTH_METRICS_PORT", port: 9181 },
  profilePublic: { variable: "PROFILE_PUBLIC_PORT", port: 8082 },
  profileInternal: { variable: "PROFILE_INTERNAL_PORT", port: 9082 },
  profileMetrics: { variable: "PROFILE_METRICS_PORT", port: 9182 },
  workerHealth: { variable: "WORKER_HEALTH_PORT", port: 9083 },
  workerMetrics: { variable: "WORKER_METRICS_PORT", port: 9183 },
  workerSdkMetrics: { variable: "WORKER_SDK_METRICS_PORT", port: 9184 },
} as const;

export type ListenerName = keyof typeof LISTENERS;

// Temporal where `make dev` runs it (the dev server, or the local cluster) and where a process
// looks for it unless TEMPORAL_ADDRESS says otherwise: its frontend and its Web UI.
export const LOCAL_TEMPORAL = {
  frontendPort: 7233,
  uiPort: 8233,
  address: "localhost:7233",
  uiUrl: "http://localhost:8233",
} as const;

// The port a listener is configured on: its variable, else its default.
export const listenerPort = (name: ListenerName): number => envInt(LISTENERS[name].variable, LISTENERS[name].port);

// Where a listener answers on this machine by default (`make dev`, the defaults of the URLs one
// process is given of another).
export const localUrl = (name: ListenerName, path = ""): string => `http://localhost:${LISTENERS[name].port}${path}`;

// The environment that puts the given listeners on the given ports.
export function listenerEnv(ports: Partial<Record<ListenerName, number>>): Record<string, string> {
  return Object.fromEntries(Object.entries(ports).map(([name, port]) => [LISTENERS[name as ListenerName].variable, String(port)]));
}
