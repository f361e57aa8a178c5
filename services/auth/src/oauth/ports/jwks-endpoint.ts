import { notFound, type HttpMount } from "@flowshield/common/runtime/listener";
import type { JWK } from "jose";

export const JWKS_PATH = "/.well-known/jwks.json";

// GET /.well-known/jwks.json on the public listener: the public keys that verify access tokens
// (EdDSA) and the OpenID provider's ID tokens (RS256) — the same set as the provider's jwks_uri.
export function jwksEndpoint(publicJwks: JWK[]): HttpMount {
  const body = JSON.stringify({ keys: publicJwks });
  const handler: HttpMount["handler"] = (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== JWKS_PATH) {
      notFound(req, res);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "application/json" });
      res.end(JSON.stringify({ code: "method_not_allowed", message: "use GET" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=300" });
    res.end(req.method === "HEAD" ? "" : body);
  };
  return { prefix: JWKS_PATH, handler };
}
