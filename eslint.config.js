import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "reports", "cdk.out", "coverage", "schemas", "dist"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The core stays pure: no AWS SDK, no simulator, no runner.
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["@aws-sdk/*", "@aws-lambda-powertools/*", "**/sim/**", "**/aws/**", "**/local/**", "**/cli/**"] },
      ],
    },
  },
  {
    // Handlers and input readers are shared by the Lambdas, the rehearsal and the stack: they reach no AWS adapter,
    // simulator, runner or CLI.
    files: ["src/handlers/**/*.ts", "src/inputs/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["@aws-sdk/*", "@aws-lambda-powertools/*", "**/aws/**", "**/local/**", "**/cli/**"] },
      ],
    },
  },
  {
    // The AWS SDK stays behind the adapters in src/aws.
    files: ["src/cli/**/*.ts", "src/local/**/*.ts", "src/sim/**/*.ts", "src/assets/**/*.ts", "lambdas/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: ["@aws-sdk/*"] }] },
  },
  {
    // Tests reshape JSON documents freely to build bad inputs.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
