import { describe, expect, it } from "vitest";
import { planFrom, rehearsePlan } from "../helpers";

const p99RelativeTo = (bounds: object, timing: object = {}) =>
  planFrom("plans/ec2-web-tier.json", (plan) => {
    const probe = plan.hypothesis.probes.find((p: { id: string }) => p.id === "frontDoorP99Seconds");
    probe.bounds = bounds;
    plan.timing = { ...plan.timing, ...timing };
  });

describe("bounds relative to the baseline, in a rehearsal", () => {
  it("holds every poll to the baseline median times the ratio, and stops the fault when it breaks", async () => {
    const result = await rehearsePlan(p99RelativeTo({ relativeToBaseline: { maxRatio: 0.95 } }));
    const report = result.report!;
    const probe = report.probes.find((p) => p.id === "frontDoorP99Seconds")!;
    expect(probe.resolvedBounds!.maxRule).toMatch(/^0\.95 × baseline 0\.1\d+$/);
    expect(probe.resolvedBounds!.max).toBeCloseTo(probe.phases.baseline.median! * 0.95, 2);
    expect(report.verdict).toBe("FAILED");
    expect(report.stages[0]!.guardrailProbes).toContain("frontDoorP99Seconds");
  });

  it("passes the same game day with a ratio that leaves room for the fault", async () => {
    const report = (await rehearsePlan(p99RelativeTo({ relativeToBaseline: { maxRatio: 2 } }))).report!;
    expect(report.verdict).toBe("PASSED");
  });

  it("aborts before injecting anything when the baseline is too short to measure", async () => {
    const result = await rehearsePlan(p99RelativeTo({ relativeToBaseline: { mads: 3 } }, { baseline: "PT1M" }));
    expect(result.report!.verdict).toBe("ABORTED");
    expect(result.report!.experiments).toEqual([]);
    expect(result.report!.reason).toContain("relative bounds need at least 3");
  });
});
