// One jest run over every workspace. TypeScript is compiled by swc (type-checking is `npm run
// typecheck`). kysely, jose, oidc-provider and openid-client ship only ES modules, so swc compiles them to CommonJS too.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/common", "<rootDir>/contracts", "<rootDir>/services", "<rootDir>/workflows", "<rootDir>/bench", "<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(t|j|mj)s$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!(kysely|jose|oidc-provider|openid-client|oauth4webapi)/)"],
  moduleFileExtensions: ["ts", "js", "mjs", "cjs", "json"],
};
