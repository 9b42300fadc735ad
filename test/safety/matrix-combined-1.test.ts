import { describe, it } from "vitest";
import { checkCombinedRun, combinedRun, COMBINED_RUNS } from "./combined";

// Every fault at once, drawn at random: throttles, Lambda crashes and timeouts, aborts, duplicates, lost events.
describe("combined-fault matrix, part 1 of 2", () => {
  const runs = Array.from({ length: COMBINED_RUNS / 2 }, (_, i) => i * 2 + 0);
  it.each(runs.map((index) => ({ index, ...combinedRun(index) })))(
    "run $index: $file seed $seed",
    async ({ index }) => {
      await checkCombinedRun(index);
    },
  );
});
