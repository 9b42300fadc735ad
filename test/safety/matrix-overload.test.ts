import { describe, it } from "vitest";
import { FAULT_COMBINATIONS, rehearseAndCheck, SEEDS } from "./matrix";

// A fault that breaks a guardrail: exercises stopping, conflicts and re-stops.
describe("fault matrix: overload (guardrail stop)", () => {
  it.each(FAULT_COMBINATIONS.flatMap((c) => SEEDS.map((seed) => [c.join(" ") || "no faults", seed, c] as const)))(
    "%s, seed %d",
    async (_name, seed, combination) => {
      await rehearseAndCheck("test/fixtures/overload-web-cpu.json", [...combination], seed);
    },
  );
});
