import type { TLSConfig } from "@temporalio/client";
import type { TlsFiles } from "@flowshield/common/tls-files";

// Mutual TLS to Temporal's frontend (TEMPORAL_TLS_DIR): the frontend's CA, and this process's
// certificate, which Temporal's CA signed for Temporal's clients only (deploy/pki.sh).
export function temporalTls(files: TlsFiles | undefined): TLSConfig | undefined {
  return files === undefined ? undefined : { serverRootCACertificate: files.ca, clientCertPair: { crt: files.cert, key: files.key } };
}
