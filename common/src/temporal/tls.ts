import type { TLSConfig } from "@temporalio/client";
import { tlsFilesIn } from "@flowshield/common/runtime/tls-files";

// A connection's mutual TLS to Temporal's frontend (TEMPORAL_TLS_DIR: ca.crt, tls.crt, tls.key):
// the frontend's CA, and this process's certificate, which Temporal's CA signed for Temporal's
// clients only (deploy/pki.sh). Nothing to add without a directory: plaintext, as `make dev` runs.
export function temporalTls(dir: string | undefined): { tls?: TLSConfig } {
  const files = tlsFilesIn(dir);
  return files === undefined ? {} : { tls: { serverRootCACertificate: files.ca, clientCertPair: { crt: files.cert, key: files.key } } };
}
