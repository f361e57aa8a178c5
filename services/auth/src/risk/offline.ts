// The risk engine's decisions without its stores — the packaged databases, the client facts, the
// default policy and the pure assessment — for `make bench`'s decisions per second in process
// (the package's entry point "@flowshield/auth/risk-offline").
export { loadNetworkDirectory } from "./adapters/network-directory";
export { createClientFacts } from "./adapters/client-facts";
export { DEFAULT_RISK_POLICY } from "./domain/policy";
export { assessSignIn } from "./domain/assess";
export { emptyNormal, learned } from "./domain/account-normal";
