import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";

// A gRPC client (HTTP/2) that the auth service, trusting loopback as its proxy (TRUSTED_PROXIES),
// sees at `ip` (X-Forwarded-For), on the device `deviceId` (X-Device-Id): the risk engine's
// scenarios play their users and attackers through it.
export function clientAt(authPublicUrl: string, ip: string, deviceId: string): Client<typeof AuthService> {
  return createClient(
    AuthService,
    createGrpcTransport({
      baseUrl: authPublicUrl,
      interceptors: [
        (next) => (req) => {
          req.header.set("x-forwarded-for", ip);
          req.header.set("x-device-id", deviceId);
          return next(req);
        },
      ],
    }),
  );
}
