// eslint with typescript-eslint's recommended rules over every package; `make lint` (part of
// `make test`) runs it. Formatting is prettier's job (.prettierrc.json), not eslint's.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["gen/", "dist/", "node_modules/", ".tools/", ".data/", ".bench/", "coverage/"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a binding that is unused on purpose (a destructured secret).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // Node's CommonJS config files.
    files: ["**/*.cjs", "jest.config.js"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
