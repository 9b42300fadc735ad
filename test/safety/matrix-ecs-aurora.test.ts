import { describe, it } from "vitest";
import { FAULT_COMBINATIONS, rehearseAndCheck, SEEDS } from "./matrix";

// Short faults and a failover that does not recover in time.
describe("fault matrix: ECS checkout and Aurora failover", () => {
  it.each(FAULT_COMBINATIONS.flatMap((c) => SEEDS.map((seed) => [c.join(" ") || "no faults", seed, c] as const)))(
    "%s, seed %d",
    async (_name, seed, combination) => {
      await rehearseAndCheck(
        seed % 2 ? "plans/ecs-checkout-zone-loss.json" : "plans/aurora-failover.json",
        [...combination],
        seed,
      );
    },
  );
});
