import { describe, expect, it } from "vitest";
import { checkPlan, timingSeconds } from "../../src/core/plan/check";
import { estimateHistoryEvents } from "../../src/core/plan/limits";
import { parseFaultSpec } from "../../src/sim/faults";
import { planFrom, rehearsePlan } from "../helpers";

const PLANS = ["ec2-web-tier", "ecs-checkout-zone-loss", "eks-catalog-pods", "aurora-failover"];

describe("the execution history estimate validate refuses plans by", () => {
  it.each(PLANS)("is never below what a rehearsal of %s records, even under throttling", async (name) => {
    const plan = checkPlan(planFrom(`plans/${name}.json`)).plan!;
    const estimate = estimateHistoryEvents(timingSeconds(plan), plan.stages).events;
    const calm = await rehearsePlan(planFrom(`plans/${name}.json`), { recordHistory: true });
    expect(calm.history!.length).toBeGreaterThan(40);
    expect(calm.history!.length).toBeLessThanOrEqual(estimate);
    const stormy = await rehearsePlan(planFrom(`plans/${name}.json`), {
      recordHistory: true,
      seed: 7,
      faults: ["throttle:fis:0.5", "throttle:cloudwatch:0.5", "lambda-timeout:0.1"].map(parseFaultSpec),
    });
    expect(stormy.history!.length).toBeGreaterThan(40);
    expect(stormy.history!.length).toBeLessThanOrEqual(estimate);
  });

  it("refuses a plan of 108 stages of 5 experiments, naming the estimate and the limit", () => {
    const plan = planFrom("plans/ecs-checkout-zone-loss.json", (p) => {
      const stage = p.stages[0];
      p.stages = Array.from({ length: 108 }, (_, i) => ({
        ...stage,
        name: `s${i}`,
        experiments: Array(5).fill(stage.experiments[0]),
      }));
    });
    const problems = checkPlan(plan).problems;
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: "stages",
        message: expect.stringMatching(/about \d+ execution history events.*25000/),
      }),
    );
  });
});
