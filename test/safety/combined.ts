import { expect } from "vitest";
import { combinedFaults, MATRIX_PLANS, rehearseAndCheckInvariants } from "./invariants";

/** Combined-fault runs in CI: every example plan, each with its own random combinations and seeds. */
export const COMBINED_RUNS = 320;

/** Run `index` of the combined matrix: the plan cycles, the seed draws the faults and the simulated account. */
export function combinedRun(index: number): { file: string; seed: number; faults: string[] } {
  const seed = 1000 + index;
  return { file: MATRIX_PLANS[index % MATRIX_PLANS.length]!, seed, faults: combinedFaults(seed) };
}

export async function checkCombinedRun(index: number) {
  const { file, seed, faults } = combinedRun(index);
  const { label, broken } = await rehearseAndCheckInvariants(file, faults, seed);
  expect(broken, label).toEqual([]);
}
