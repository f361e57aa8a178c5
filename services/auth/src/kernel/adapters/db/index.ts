// The auth database as the tests and the benchmark may use it: schema, migrations, queries.
export * from "./migrations";
export type * from "./schema";
export * from "./signing-key-repository";
export * from "./user-repository";
export * from "../../../audit/adapters/db/audit-log";
export * from "../../../sessions/adapters/db/session-store";
export * from "../../../email-codes/adapters/db/email-codes";
export * from "../../../oauth/adapters/db/oidc-store";
