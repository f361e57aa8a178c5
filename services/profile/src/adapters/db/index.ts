// The profile database as the tests and the benchmark may use it: schema, migrations, queries.
export * from "./migrations";
export type * from "./schema";
export * from "./profile-repository";
