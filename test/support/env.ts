import { parsePayloadKeys } from "@flowshield/common/temporal/payload-codec";

// What `make test` (scripts/test.ts) started for this run.
function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set: run the tests with \`make test\`, which starts Postgres and Temporal`);
  }
  return value;
}

export const testEnv = {
  authDatabaseUrl: () => required("TEST_AUTH_DATABASE_URL"),
  profileDatabaseUrl: () => required("TEST_PROFILE_DATABASE_URL"),
  temporalAddress: () => required("TEST_TEMPORAL_ADDRESS"),
  payloadKeys: () => parsePayloadKeys(required("TEST_PAYLOAD_KEYS")),
};

// Unique per call, so test files share the databases without seeing each other's rows.
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export function uniqueEmail(): string {
  return `user-${uniqueSuffix()}@example.com`;
}

export function uniqueUsername(): string {
  return `u_${uniqueSuffix()}`.slice(0, 32);
}

export const SERVICE_CREDENTIAL = "test-service-credential-0123456789abcdef";
export const OPERATOR_CREDENTIAL = "test-operator-credential-0123456789abcdef";
// A password that passes the policy; tests that check no secret leaks search for it.
export const GOOD_PASSWORD = "correct horse battery staple";
