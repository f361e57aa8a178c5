import { readFileSync } from "node:fs";
import * as path from "node:path";
import { envOptional } from "./config";

// A process's side of a mutual TLS link: the CA it trusts for its peer, its own certificate and
// key — a directory laid out as cert-manager writes a Secret (ca.crt, tls.crt, tls.key), named by
// an environment variable: INTERNAL_TLS_DIR (auth's and profile's internal listeners, and the
// worker calling them), TEMPORAL_TLS_DIR (Temporal's clients). Unset: plaintext, as `make dev`
// runs on loopback. deploy/pki.sh makes them for compose.
export interface TlsFiles {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export function tlsFilesFromEnv(variable: "INTERNAL_TLS_DIR" | "TEMPORAL_TLS_DIR"): TlsFiles | undefined {
  const dir = envOptional(variable);
  if (dir === undefined) return undefined;
  const read = (file: string) => {
    try {
      return readFileSync(path.join(dir, file));
    } catch (err) {
      throw new Error(`${variable}: cannot read ${file} in ${dir} (${(err as Error).message})`);
    }
  };
  return { ca: read("ca.crt"), cert: read("tls.crt"), key: read("tls.key") };
}
