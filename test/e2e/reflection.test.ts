import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { ROOT } from "../../scripts/root";
import { GOOD_PASSWORD, SERVICE_CREDENTIAL, uniqueEmail, uniqueUsername } from "../support/env";
import { useFullStack } from "../support/stack";

jest.setTimeout(60_000);

// gRPC server reflection, used by a client that shares no code with ours: `buf curl` (Go), which
// reads the schema from the server when it is given no --schema.
const stack = useFullStack();
const buf = path.join(ROOT, "node_modules", ".bin", "buf");

async function bufCurl(args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout } = await promisify(execFile)(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args]);
    return { ok: true, out: stdout };
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    return { ok: false, out: `${stdout ?? ""}${stderr ?? ""}` };
  }
}

test.each(["grpc-v1", "grpc-v1alpha"])("%s: the public listener lists its own services, never the internal ones", async (protocol) => {
  const { ok, out } = await bufCurl(["--reflect-protocol", protocol, "--list-methods", stack().auth.publicUrl]);
  expect(ok).toBe(true);
  expect(out.split("\n")).toEqual(
    expect.arrayContaining([
      "flowshield.auth.v1.AuthService/Login",
      "flowshield.auth.v1.AuthService/Register",
      "grpc.health.v1.Health/Check",
    ]),
  );
  expect(out).not.toContain("UserAdminService");
});

test("a call described only by reflection reaches the service", async () => {
  const email = uniqueEmail();
  await stack().authGrpc.register({ email, password: GOOD_PASSWORD, username: uniqueUsername(), displayName: "Reflected" });
  const { ok, out } = await bufCurl([
    "-d",
    JSON.stringify({ email, password: GOOD_PASSWORD }),
    `${stack().auth.publicUrl}/flowshield.auth.v1.AuthService/Login`,
  ]);
  expect(ok).toBe(true);
  expect(JSON.parse(out)).toMatchObject({ tokenType: "Bearer" });
  const profile = await bufCurl([
    "-d",
    '{"username":"nobody_at_all"}',
    `${stack().profile.publicUrl}/flowshield.profile.v1.ProfileService/GetProfile`,
  ]);
  expect(profile.out).toMatch(/not_found/);
});

test("the internal listener's reflection needs the service credential", async () => {
  const credential = `authorization: Bearer ${SERVICE_CREDENTIAL}`;
  const withCredential = await bufCurl(["--reflect-header", credential, "--list-services", stack().profile.internalUrl]);
  expect(withCredential.ok).toBe(true);
  expect(withCredential.out).toContain("flowshield.profile.v1.ProfileAdminService");
  const without = await bufCurl(["--list-services", stack().profile.internalUrl]);
  expect(without.ok).toBe(false);
  expect(without.out).not.toContain("ProfileAdminService");
});
