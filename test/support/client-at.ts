import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "@flowshield/gen/flowshield/auth/v1/auth_service_pb";
import { GOOD_PASSWORD, uniqueSuffix, uniqueUsername } from "./env";

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

// Real networks' addresses (GeoLite2 City and ip-location-db's ASN data, as pinned in
// package.json), a random host in a /24 of each, so that test files' runs do not share velocity
// counters.
const host = (prefix: string) => `${prefix}.${1 + Math.floor(Math.random() * 250)}`;
export const BERLIN_HOME = () => host(`91.64.${Math.floor(Math.random() * 250)}`); // Vodafone cable, Germany (AS3209), mostly Berlin
export const MELBOURNE = () => host("139.130.4"); // Telstra, Melbourne (AS1221)

// An account registered from home (in Berlin) on its laptop: its first sighting. A person's local
// part (the test's uniqueness goes in the domain: a random local part is a signal of its own).
export async function registerAtHome(authPublicUrl: string) {
  const home = BERLIN_HOME();
  const laptop = `laptop-${uniqueSuffix()}`;
  const email = `ada.lovelace@${uniqueSuffix()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}.example.com`;
  const { user } = await clientAt(authPublicUrl, home, laptop).register({
    email,
    password: GOOD_PASSWORD,
    username: uniqueUsername(),
    displayName: "Ada",
  });
  return { user: user!, email, home, laptop };
}
