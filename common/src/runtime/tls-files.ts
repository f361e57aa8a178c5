import { readFileSync } from "node:fs";
import * as path from "node:path";

// A process's side of a mutual TLS link: the CA it trusts for its peer, its own certificate and
// key — a directory laid out as cert-manager writes a Secret (ca.crt, tls.crt, tls.key), named by
// an environment variable: INTERNAL_TLS_DIR (auth's and profile's internal listeners, and the
// worker calling them), TEMPORAL_TLS_DIR (Temporal's clients). Unset: plaintext, as `make dev`
// runs on loopback. deploy/pki.sh makes them for compose. Read when the process starts.
export interface TlsFiles {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export function tlsFilesIn(dir: string | undefined): TlsFiles | undefined {
  if (dir === undefined) return undefined;
  const read = (file: string) => {
    try {
      return readFileSync(path.join(dir, file));
    } catch (err) {
      throw new Error(`cannot read the TLS file ${file} in ${dir} (${(err as Error).message})`);
    }
  };
  return { ca: read("ca.crt"), cert: read("tls.crt"), key: read("tls.key") };
}
