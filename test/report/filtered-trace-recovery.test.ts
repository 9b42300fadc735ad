import { describe, expect, it } from "vitest";
import { FILTERED_RECOVERY_STEPS, recoverySteps } from "../../src/core/report/build";
import { planFrom, rehearsePlan } from "../helpers";

const minute = 60_000;

describe("filter-expression trace probes", () => {
  it("are read in whole-minute steps through the recovery window, never more than the cap", () => {
    const start = Date.parse("2026-11-24T10:00:00Z");
    expect(recoverySteps({ start, end: start + 10 * minute })).toMatchObject({ seconds: 60 });
    expect(recoverySteps({ start, end: start + 10 * minute }).windows).toHaveLength(10);
    const long = recoverySteps({ start, end: start + 45 * minute });
    expect(long.seconds).toBe(120);
    expect(long.windows.length).toBeLessThanOrEqual(FILTERED_RECOVERY_STEPS);
    expect(long.windows.at(-1)!.end).toBe(start + 45 * minute);
    expect(recoverySteps({ start, end: start + 30_000 }).windows).toEqual([{ start, end: start + 30_000 }]);
  });

  it("get their own time to recover, within a minute of the same service's time-series probe", async () => {
    const plan = planFrom("plans/aurora-failover.json", (p) => {
      p.timing.recovery = "PT10M";
      p.hypothesis.probes.push({
        id: "checkoutFiltered",
        type: "trace",
        filterExpression: 'service("checkout")',
        maxFaultRate: 0.05,
      });
    });
    const report = (await rehearsePlan(plan)).report!;
    const filtered = report.probes.find((p) => p.id === "checkoutFiltered")!;
    const service = report.probes.find((p) => p.id === "checkoutTraces")!;
    const [own] = filtered.timeToRecover;
    const [reference] = service.timeToRecover;
    expect(own).not.toBeNull();
    expect(reference).not.toBeNull();
    expect(Math.abs(own! - reference!)).toBeLessThanOrEqual(60);
    // Per-minute reads while recovering: the stale connections' faults, then back in band.
    expect(filtered.phases.recovery.count).toBeGreaterThanOrEqual(4);
    expect(filtered.phases.recovery.max).toBeGreaterThan(0.3);
    expect(filtered.phases.recovery.last).toBeLessThan(0.05);
  });
});
