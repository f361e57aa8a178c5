import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { authenticatorApp } from "../../scripts/authenticator-app";
import { GOOD_PASSWORD } from "./env";

// An account's authenticator app, enrolled through the API as its owner would: signed in with the
// password, StartTotpEnrollment, and the app's first code. Answers the app (which knows the step
// its first code spent), the secret, the recovery codes, and the session that enrolled it.
export async function enrolTotp(auth: Client<typeof AuthService> | { publicUrl: string }, email: string) {
  const client = "publicUrl" in auth ? createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl })) : auth;
  const session = await client.login({ email, password: GOOD_PASSWORD });
  const bearer = { headers: { authorization: `Bearer ${session.accessToken}` } };
  const { enrollmentId, secret } = await client.startTotpEnrollment({}, bearer);
  const app = authenticatorApp(secret);
  const confirmed = await client.confirmTotpEnrollment({ enrollmentId, code: await app.code() }, bearer);
  return { app, secret, recoveryCodes: confirmed.recoveryCodes, factorId: confirmed.factor!.id, session };
}
