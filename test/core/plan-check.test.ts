import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { checkPlan } from "../../src/core/plan/check";

const example = () => JSON.parse(readFileSync("plans/ecs-checkout-zone-loss.json", "utf8"));

describe("plan validation", () => {
  it("accepts the example plans", () => {
    for (const name of ["ecs-checkout-zone-loss", "ec2-web-tier", "eks-catalog-pods", "aurora-failover"]) {
      const { plan, problems } = checkPlan(JSON.parse(readFileSync(`plans/${name}.json`, "utf8")));
      expect(problems.filter((p) => p.severity === "error")).toEqual([]);
      expect(plan?.name).toBe(name);
    }
  });

  it("warns when the recovery window is shorter than the in-band streak, in the probe's own periods", () => {
    const plan = example();
    // 3 polls of 30 s: 90 s in bounds, two 60-second periods of the load balancer's data.
    plan.timing = { ...plan.timing, pollInterval: "PT30S", recoveredAfterPolls: 3, recovery: "PT100S" };
    const warnings = checkPlan(plan).problems.filter((p) => p.severity === "warning");
    expect(warnings).toContainEqual(
      expect.objectContaining({
        path: "hypothesis.probes[0]",
        message: expect.stringContaining("make timing.recovery at least PT120S"),
      }),
    );
    plan.timing.recovery = "PT120S";
    expect(checkPlan(plan).problems.filter((p) => p.message.includes("timing.recovery at least"))).toEqual([]);
  });

  it("names the JSON path of a bad template reference", () => {
    const plan = example();
    plan.stages[0].experiments.push({ template: { bogus: "x" } });
    const { problems } = checkPlan(plan);
    expect(problems.map((p) => p.path)).toContain("stages[0].experiments[1].template");
  });

  it("reports every problem at once, not only the first", () => {
    const plan = example();
    plan.timing.pollInterval = "30 seconds";
    plan.hypothesis.probes[1].metric.statistic = "Median";
    const { problems } = checkPlan(plan);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(["timing.pollInterval", "hypothesis.probes[1].metric.statistic"]),
    );
  });

  it("rejects a math expression that refers to an undefined metric", () => {
    const plan = example();
    plan.hypothesis.probes[0].expression = "100 * faults / total";
    const { problems } = checkPlan(plan);
    expect(problems).toContainEqual(
      expect.objectContaining({ path: "hypothesis.probes[0].expression", message: expect.stringContaining('"total"') }),
    );
  });

  it("rejects duplicate probe ids and a poll interval under ten seconds", () => {
    const plan = example();
    plan.hypothesis.probes[1].id = plan.hypothesis.probes[0].id;
    plan.timing.pollInterval = "PT5S";
    const paths = checkPlan(plan).problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(["hypothesis.probes[1].id", "timing.pollInterval"]));
  });

  it("fills defaults for timing and guardrails", () => {
    const plan = example();
    delete plan.timing;
    delete plan.guardrails;
    const checked = checkPlan(plan).plan!;
    expect(checked.timing.pollInterval).toBe("PT30S");
    expect(checked.guardrails.consecutiveBreachingPolls).toBe(2);
  });
});
