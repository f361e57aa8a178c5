import * as net from "node:net";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { startAuthService } from "@flowshield/auth/server";
import { GOOD_PASSWORD, uniqueEmail, uniqueSuffix, uniqueUsername } from "../support/env";
import { quietLog, startWorker, testAuthConfig, useFullStack, workerActivities, testMailServer, testMailSettings } from "../support/stack";

jest.setTimeout(60_000);

const stack = useFullStack();

function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });
}

// A Register whose saga is held at createProfile while the auth service is asked to stop.
test("a service asked to stop refuses new connections but answers the Register in flight", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let reachedProfile!: () => void;
  const atProfile = new Promise<void>((resolve) => (reachedProfile = resolve));
  const mail = await testMailServer();
  const real = workerActivities(stack(), mail.url);
  const taskQueue = `drain-${uniqueSuffix()}`;
  const worker = await startWorker(taskQueue, {
    ...real,
    async createProfile(input: Parameters<typeof real.createProfile>[0]) {
      reachedProfile();
      await held;
      return real.createProfile(input);
    },
  });
  const auth = await startAuthService(testAuthConfig({ taskQueue, mail: testMailSettings(mail.url) }), quietLog);
  try {
    const client = createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl }));
    const email = uniqueEmail();
    const registering = client.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Drained" });
    await atProfile;

    const closing = auth.close(20_000);
    const port = Number(new URL(auth.publicUrl).port);
    expect(await connectionRefused(port)).toBe(true);
    release();
    const res = await registering;
    expect(res.user?.email).toBe(email);
    await closing;
    expect(await connectionRefused(port)).toBe(true);
  } finally {
    release();
    await auth.close();
    await worker.stop();
  }
});
