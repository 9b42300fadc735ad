import { describe, expect, it } from "vitest";
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

/** Half of the combined matrix (even or odd runs), so two test files share it between the worker threads. */
export function describeCombinedHalf(half: 0 | 1) {
  // Every fault at once, drawn at random: throttles, Lambda crashes and timeouts, aborts, duplicates, lost events.
  describe(`combined-fault matrix, part ${half + 1} of 2`, () => {
    const runs = Array.from({ length: COMBINED_RUNS / 2 }, (_, i) => i * 2 + half);
    it.each(runs.map((index) => ({ index, ...combinedRun(index) })))(
      "run $index: $file seed $seed",
      async ({ index }) => {
        await checkCombinedRun(index);
      },
    );
  });
}
