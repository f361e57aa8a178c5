import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { enrolTotp as enrol } from "../../scripts/authenticator-app";
import { GOOD_PASSWORD } from "./env";

// A test account's authenticator app (scripts/authenticator-app.ts), enrolled over gRPC with the
// tests' password, through a client or a running auth service's public listener.
export function enrolTotp(auth: Client<typeof AuthService> | { publicUrl: string }, email: string) {
  const client = "publicUrl" in auth ? createClient(AuthService, createGrpcTransport({ baseUrl: auth.publicUrl })) : auth;
  return enrol(client, { email, password: GOOD_PASSWORD });
}
