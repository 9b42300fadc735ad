import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { rehearseAndCheckInvariants } from "./invariants";

export { matrixInput } from "./invariants";

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

/** Rehearses with one fault combination and seed, and asserts every safety invariant (see invariants.ts). */
export async function rehearseAndCheck(file: string, combination: string[], seed: number) {
  const { label, result, broken } = await rehearseAndCheckInvariants(file, combination, seed);
  expect(broken, label).toEqual([]);
  return { verdict: result.report!.verdict, fired: result.report!.rehearsal!.faultsInjected };
}

export const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));
