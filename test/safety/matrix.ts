import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect } from "vitest";
import { EXECUTION_TAG } from "../../src/core/gameday/state";
import type { PlanInput } from "../../src/core/plan/schema";
import { checkInput, hasErrors, loadInput } from "../../src/local/inputs";
import { rehearse } from "../../src/local/rehearsal";
import { rehearsalTemplates } from "../../src/local/templates";
import { parseFaultSpec } from "../../src/sim/faults";
import { world } from "../helpers";

/** Fault combinations of the matrix, as `--fault` values. */
export const FAULT_COMBINATIONS: string[][] = [
  [],
  ["throttle:fis:0.3"],
  ["throttle:cloudwatch:0.5", "throttle:xray:0.5"],
  ["throttle:events:0.5", "throttle:s3:0.5"],
  [
    "throttle:fis:0.4",
    "throttle:cloudwatch:0.4",
    "throttle:xray:0.4",
    "throttle:events:0.4",
    "throttle:s3:0.4",
    "throttle:dynamodb:0.4",
    "throttle:tagging:0.4",
  ],
  ["lambda-error:0.15"],
  ["lambda-timeout:0.2"],
  ["lambda-error:0.1", "duplicate-events:2", "throttle:s3:0.3"],
  ["abort-at:PT1M30S"],
  ["abort-at:PT2M30S", "lose-status-event"],
  ["abort-at:PT2M", "duplicate-events:3", "throttle:events:0.3"],
  ["duplicate-events:3"],
  ["fis-stop-conflict"],
  ["fis-stop-conflict", "throttle:fis:0.3", "lambda-timeout:0.1"],
];

export const SEEDS = [1, 2, 3, 4, 5];

const onlyTransient = (combination: string[]) =>
  combination.length > 0 && combination.every((f) => f.startsWith("throttle:"));

/** Loads a plan or bare template as `gameday rehearse` does. */
export function matrixInput(file: string): { plan: PlanInput; templates: ReturnType<typeof checkInput>["templates"] } {
  const loaded = loadInput(file, world());
  if (hasErrors(loaded.problems) || !loaded.plan) throw new Error(`${file}: ${JSON.stringify(loaded.problems)}`);
  return { plan: loaded.plan as PlanInput, templates: loaded.templates };
}

/**
 * Rehearses `file` with one fault combination and one seed, and asserts the safety invariants:
 * 1. no experiment the game day started is left running once the game day and its guard are done;
 * 2. exactly one report is stored for the execution;
 * 4. the game day holds no run lock once it and its guard are done;
 * 5. transient failures alone never end a game day in error, and retried starts never start a fault twice.
 */
export async function rehearseAndCheck(file: string, combination: string[], seed: number) {
  const { plan, templates } = matrixInput(file);
  const executionName = `matrix-${seed}-${combination.join("+").replace(/[^A-Za-z0-9-]/g, "_")}`.slice(0, 80);
  const result = await rehearse({
    input: { plan },
    world: world(),
    seed,
    executionName,
    faults: combination.map(parseFaultSpec),
    templates: (account) => rehearsalTemplates(account, resolve(file), templates),
  });
  const label = `${file} seed ${seed} faults [${combination.join(", ")}]`;
  const report = result.report;
  expect(report, `${label}: a report`).toBeDefined();
  const started = [...result.account.fis.experiments.values()].filter((e) => e.tags[EXECUTION_TAG] === executionName);
  const live = started.filter((e) => !["completed", "stopped", "failed", "cancelled"].includes(e.status));
  expect(
    live.map((e) => `${e.id} ${e.status}`),
    `${label}: orphaned experiments`,
  ).toEqual([]);
  expect(report!.rehearsal!.orphanedExperiments, label).toBe(0);
  expect(report!.rehearsal!.reportsStored, `${label}: stored reports`).toBe(1);
  expect(await result.account.locks.heldBy(executionName), `${label}: run locks left`).toEqual([]);
  const tokens = started.map((e) => e.clientToken);
  expect(new Set(tokens).size, `${label}: one experiment per ClientToken`).toBe(tokens.length);
  if (onlyTransient(combination)) {
    expect(result.status, `${label}: ${result.error?.name} ${result.error?.cause}`).toBe("SUCCEEDED");
    expect(report!.verdict, `${label}: ${report!.reason}`).not.toBe("ERROR");
  }
  expect(report!.reason, label).not.toMatch(/Throttl|SlowDown|TransientError/);
  return { verdict: report!.verdict, fired: report!.rehearsal!.faultsInjected };
}

export const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
