import { describe, expect, it } from "vitest";
import { planCostUpperBound } from "../../src/core/cost/game-day-cost";
import { checkInput } from "../../src/inputs/documents";
import { planSchema } from "../../src/core/plan/schema";
import { planFrom } from "../helpers";

describe("a plan's cost before it runs", () => {
  it("bounds FIS's action-minutes by every action running until the longest fault ends", () => {
    const plan = planSchema.parse(planFrom("plans/ec2-web-tier.json", (p) => (p.timing.maxFaultDuration = "PT10M")));
    const cost = planCostUpperBound(plan, [[1], [2]]);
    expect(cost.items[0]).toMatchObject({ service: "FIS", quantity: 30, usd: 3 });
    expect(cost.totalUsd).toBeGreaterThan(3);
  });

  it("refuses a plan whose game day could cost more than its maxCostUsd, naming the field", () => {
    const value = planFrom("plans/ec2-web-tier.json", (p) => (p.maxCostUsd = 0.5));
    const loaded = checkInput(value, `${process.cwd()}/plans/ec2-web-tier.json`);
    expect(loaded.problems).toContainEqual(
      expect.objectContaining({
        severity: "error",
        path: "maxCostUsd",
        message: expect.stringMatching(/could cost up to \$\d+\.\d\d at list prices, above its maxCostUsd of \$0\.50/),
      }),
    );
    const generous = checkInput(
      planFrom("plans/ec2-web-tier.json", (p) => (p.maxCostUsd = 50)),
      `${process.cwd()}/plans/ec2-web-tier.json`,
    );
    expect(generous.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(generous.costEstimate!.totalUsd).toBeLessThan(50);
  });
});
