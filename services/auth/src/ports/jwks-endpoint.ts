import { notFound, type HttpMount } from "@flowshield/common/listener";
import { jwks, type SigningKey } from "../adapters/signing-keys";

export const JWKS_PATH = "/.well-known/jwks.json";

// GET /.well-known/jwks.json on the public listener: the public keys that verify access tokens.
export function jwksEndpoint(keys: SigningKey[]): HttpMount {
  const body = JSON.stringify(jwks(keys));
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
