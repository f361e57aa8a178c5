import type { Interceptor } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import { toConnectError } from "../contract/error-catalogue";
import { PermissionDeniedError, UnauthenticatedError } from "../contract/errors";
import { HealthService } from "./health";
import { peerKey } from "../observability/request-context";
import { matchesSecret, sha256 } from "../crypto/secret-digest";

// Internal listeners accept only their callers, each holding a credential of its own sent as
// `authorization: Bearer <credential>`, and each allowed the RPCs it needs and no other: the
// worker (SERVICE_CREDENTIAL) runs the workflows' steps, an operator (OPERATOR_CREDENTIAL)
// administers users and clients — and neither can do the other's work (an operator cannot be
// handed a user's code, the worker cannot disable anyone). Health checks stay open so that probes
// need no secret. During a rotation a caller's previous credential is accepted beside the new one
// (SERVICE_CREDENTIAL_PREVIOUS): deploy/README.md, rotating secrets. Over mutual TLS
// (INTERNAL_TLS_DIR) a credential counts only with its caller's own certificate (CN = its name):
// a stolen credential is of no use without that caller's key too.

const MIN_CREDENTIAL_LENGTH = 32;

export function checkCredentialStrength(credential: string): string {
  if (credential.length < MIN_CREDENTIAL_LENGTH) {
    throw new Error(`the service credential must be at least ${MIN_CREDENTIAL_LENGTH} characters`);
  }
  return credential;
}

export interface InternalCaller {
  // Who it is, as refusals name it: "worker", "operator".
  name: string;
  // Its credential, then one being retired.
  credentials: string[];
  // The RPCs it may call ("package.Service/Method"); every one of the listener's when absent.
  may?: string[];
}

// The worker, every service's internal caller: SERVICE_CREDENTIAL, and SERVICE_CREDENTIAL_PREVIOUS
// while it is rotated; `may` where the listener serves others too.
export function workerCaller(credential: string, previous: string | undefined, may?: string[]): InternalCaller {
  return {
    name: "worker",
    credentials: [credential, ...(previous !== undefined ? [previous] : [])],
    ...(may !== undefined ? { may } : {}),
  };
}

// "package.Service/Method" for each named method of a service.
export function rpcNames<S extends DescService>(service: S, ...methods: Array<keyof S["method"] & string>): string[] {
  return methods.map((m) => `${service.typeName}/${service.method[m]!.name}`);
}

export function requireCallerCredentials(callers: InternalCaller[]): Interceptor {
  const accepted = callers.flatMap((caller) =>
    caller.credentials.map((c) => ({ caller, expected: sha256(`Bearer ${checkCredentialStrength(c)}`) })),
  );
  return (next) => async (req) => {
    if (req.service.typeName === HealthService.typeName) return next(req);
    const given = req.header.get("authorization");
    // Every accepted credential is compared, so the time taken does not tell which one matched.
    const matches = given === null ? [] : accepted.map(({ expected }) => matchesSecret(given, expected));
    const caller = accepted[matches.indexOf(true)]?.caller;
    if (caller === undefined) {
      throw toConnectError(new UnauthenticatedError("SERVICE_CREDENTIAL_REQUIRED", "missing or wrong service credential"));
    }
    const certificateName = req.contextValues.get(peerKey)?.certificateName;
    if (certificateName !== undefined && certificateName !== caller.name) {
      throw toConnectError(
        new UnauthenticatedError("CERTIFICATE_MISMATCH", `the ${caller.name} credential came with another caller's certificate`),
      );
    }
    const rpc = `${req.service.typeName}/${req.method.name}`;
    if (caller.may !== undefined && !caller.may.includes(rpc)) {
      throw toConnectError(
        new PermissionDeniedError("CALLER_NOT_ALLOWED", `the ${caller.name} credential may not call ${req.method.name}`),
      );
    }
    return next(req);
  };
}

export function sendServiceCredential(credential: string): Interceptor {
  return (next) => async (req) => {
    req.header.set("authorization", `Bearer ${credential}`);
    return next(req);
  };
}
