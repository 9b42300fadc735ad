import { describe, it } from "vitest";
import { FAULT_COMBINATIONS, rehearseAndCheck, SEEDS } from "./matrix";

// A long fault that holds: aborts land while it is live.
describe("fault matrix: EC2 web tier (five-minute CPU stress)", () => {
  it.each(FAULT_COMBINATIONS.flatMap((c) => SEEDS.map((seed) => [c.join(" ") || "no faults", seed, c] as const)))(
    "%s, seed %d",
    async (_name, seed, combination) => {
      await rehearseAndCheck("plans/ec2-web-tier.json", [...combination], seed);
    },
  );
});
