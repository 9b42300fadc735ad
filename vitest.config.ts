import { defineConfig } from "vitest/config";

/**
 * Four tiers, each a vitest project (`npm run test:<tier>`); `npm test` runs them all.
 * - unit: pure modules, handlers against fakes, the CLI's argument checks; no rehearsal, no synth (under a minute)
 * - rehearsal: whole game days in the local runner (the real ASL, the real handlers, the simulated account)
 * - safety: fault matrices, fuzzing, hostile input, two stacks
 * - infra: the synthesized CDK app with its bundles (once, in its global setup)
 * The rehearsal and safety tiers enforce IAM against the stack's policies, synthesized without bundling and cached
 * by their inputs (infra/policy-template.ts); the unit tier never synthesizes.
 */
const INFRA = ["test/infra/**/*.test.ts", "test/lambdas/dashboard-marking.test.ts"];
const SAFETY = ["test/safety/**/*.test.ts"];
const REHEARSAL = [
  "test/local/**/*.test.ts",
  "test/report/**/*.test.ts",
  "test/cli/rehearse-examples.test.ts",
  "test/cli/watch-recorded-history.test.ts",
  "test/cli/bin.test.ts",
  "test/cli/init.test.ts",
  "test/cli/init-from.test.ts",
  "test/cli/init-scenario.test.ts",
  "test/cli/declare.test.ts",
  "test/core/history-estimate.test.ts",
  "test/core/report-storage.test.ts",
  "test/lambdas/report-handlers.test.ts",
  "test/bench/**/*.test.ts",
];
/** Files under a rehearsal or infra folder that neither rehearse nor synthesize. */
const UNIT_EXCEPTIONS = ["test/infra/target.test.ts"];

/** The synthesized stack's policies (no bundling, cached by their inputs), which every rehearsal enforces. */
const STACK_POLICIES = "test/tiers/stack-policies-setup.ts";

const common = { testTimeout: 60_000, pool: "threads" as const };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: [...INFRA, ...SAFETY, ...REHEARSAL].filter((glob) => !UNIT_EXCEPTIONS.includes(glob)),
          setupFiles: ["test/tiers/unit-setup.ts"],
        },
      },
      { test: { ...common, name: "rehearsal", include: REHEARSAL, globalSetup: [STACK_POLICIES] } },
      { test: { ...common, name: "safety", include: SAFETY, globalSetup: [STACK_POLICIES] } },
      {
        test: {
          ...common,
          name: "infra",
          include: INFRA,
          exclude: UNIT_EXCEPTIONS,
          globalSetup: ["test/infra/global-synth.ts", STACK_POLICIES],
        },
      },
    ],
  },
});
