import { describe, expect, it } from "vitest";
import { planFrom, rehearsePlan, startByHand } from "../helpers";

const ECS = "plans/ecs-checkout-zone-loss.json";

/** Fills the account's FIS quota (5 active experiments) with waits someone started by hand, `minutes` long. */
const fillQuota = (minutes: number) => (account: () => any) => (key: string, handler: any) => async (event: any) => {
  const fis = account().fis;
  if (key === "ValidatePlan" && !fis.experiments.size) startByHand(fis, minutes, 5);
  return handler(event);
};

describe("FIS's quota of 5 active experiments per account and Region", () => {
  it("makes a game day wait for room instead of failing, then run to a verdict", async () => {
    const result = await rehearsePlan(planFrom(ECS), { wrapHandler: fillQuota(10) });
    const mine = [...result.account.fis.experiments.values()].filter((e: any) => e.tags["gameday:execution"]);
    expect(mine).toHaveLength(1);
    expect(result.report!.verdict).toBe("PASSED");
    // It started only once the others had ended: about ten minutes after the game day began.
    const started = Date.parse(result.report!.stages[0]!.faultStartedAt);
    expect(started - Date.parse(result.report!.execution.startedAt)).toBeGreaterThan(9 * 60_000);
  });

  it("ends ABORTED naming the quota when no room comes within 30 minutes, having injected nothing", async () => {
    const result = await rehearsePlan(planFrom(ECS), { wrapHandler: fillQuota(120) });
    const mine = [...result.account.fis.experiments.values()].filter((e: any) => e.tags["gameday:execution"]);
    expect(mine).toEqual([]);
    expect(result.report!.verdict).toBe("ABORTED");
    expect(result.report!.reason).toMatch(/quota of 5 active experiments/);
  });
});
