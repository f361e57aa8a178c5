export * from "./registration-contract";
