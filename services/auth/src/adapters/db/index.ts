// The auth database as the tests and the benchmark may use it: schema, migrations, queries.
export * from "./migrations";
export type * from "./schema";
export * from "./signing-key-repository";
export * from "./user-repository";
export * from "./audit-log";
export * from "./session-store";
export * from "./email-codes";
export * from "./oidc-store";
