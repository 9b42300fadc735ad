import { describe, expect, it } from "vitest";
import { EXECUTION_TAG } from "../../src/core/gameday/state";
import type { RehearsalResult } from "../../src/local/rehearsal";
import { SimulatedAccount } from "../../src/sim/account";
import { planFrom, rehearsePlan, world } from "../helpers";

const ECS_PLAN = "plans/ecs-checkout-zone-loss.json";
const experimentsOf = (account: SimulatedAccount, executionName: string) =>
  [...account.fis.experiments.values()].filter((e) => e.tags[EXECUTION_TAG] === executionName);

/**
 * Rehearses game day "first" on `account` and, while its fault is live (its first fault poll), rehearses
 * `second` on the same account to the end: two game days meeting in one AWS account.
 */
async function whileFirstRuns(
  account: SimulatedAccount,
  second: () => Promise<RehearsalResult>,
): Promise<{ first: RehearsalResult; second: RehearsalResult; firstAfterSecond: string[] }> {
  let result: RehearsalResult | undefined;
  let firstAfterSecond: string[] = [];
  const first = await rehearsePlan(planFrom(ECS_PLAN), {
    account,
    executionName: "first",
    wrapHandler: () => (key, handler) => async (event) => {
      if (key === "ObserveFault" && !result) {
        result = await second();
        // Reading the experiments brings FIS up to the clock the second game day moved on.
        await account.fis.listLive(EXECUTION_TAG);
        firstAfterSecond = experimentsOf(account, "first").map((e) => e.status);
      }
      return handler(event);
    },
  });
  return { first, second: result!, firstAfterSecond };
}

describe("overlapping game days (invariant 4)", () => {
  it("refuses a second run of the same plan, naming the running one, and starts nothing", async () => {
    const account = new SimulatedAccount(world(), 1);
    const { first, second, firstAfterSecond } = await whileFirstRuns(account, () =>
      rehearsePlan(planFrom(ECS_PLAN), { account, executionName: "second" }),
    );
    expect(second.status).toBe("FAILED");
    expect(second.error?.name).toBe("GameDay.Overlap");
    expect(second.error?.cause).toMatch(
      /^Game day "second" of plan "ecs-checkout-zone-loss" was not started: game day "first" of the same plan is running since 2026-\S+ and holds /,
    );
    expect(experimentsOf(account, "second")).toEqual([]);
    // The refused game day still gets its one stored report, and its guard leaves the running one alone.
    expect(second.report).toMatchObject({ verdict: "ABORTED", execution: { name: "second" } });
    expect(second.report!.reason).toContain("refused before it started anything");
    expect(second.report!.rehearsal!.reportsStored).toBe(1);
    // The first game day's fault ran its course: nobody stopped it.
    expect(firstAfterSecond).toEqual(["completed"]);
    expect(first.status).toBe("SUCCEEDED");
    expect(first.report!.verdict).toBe("PASSED");
    expect(await account.locks.heldBy("first")).toEqual([]);
  });

  it("refuses another plan whose targets overlap the running one's", async () => {
    const account = new SimulatedAccount(world(), 2);
    const copy = planFrom(ECS_PLAN, (p) => (p.name = "checkout-zone-loss-again"));
    const { second } = await whileFirstRuns(account, () => rehearsePlan(copy, { account, executionName: "second" }));
    expect(second.error?.name).toBe("GameDay.Overlap");
    expect(second.error?.cause).toContain('game day "first" of plan "ecs-checkout-zone-loss" is running since');
    expect(second.error?.cause).toMatch(/holds (arn:aws:ecs:|aws:ecs:task targets selected by)/);
    expect(experimentsOf(account, "second")).toEqual([]);
    expect(await account.locks.heldBy("second")).toEqual([]);
  });

  it("lets a game day on other targets run alongside", async () => {
    const account = new SimulatedAccount(world(), 3);
    const { first, second } = await whileFirstRuns(account, () =>
      rehearsePlan(planFrom("plans/aurora-failover.json"), { account, executionName: "second" }),
    );
    expect(second.status).toBe("SUCCEEDED");
    expect(experimentsOf(account, "second").length).toBeGreaterThan(0);
    expect(first.status).toBe("SUCCEEDED");
  });

  it("lets the next run of the plan start once the first has ended", async () => {
    const account = new SimulatedAccount(world(), 4);
    const first = await rehearsePlan(planFrom(ECS_PLAN), { account, executionName: "first" });
    expect(first.status).toBe("SUCCEEDED");
    const next = await rehearsePlan(planFrom(ECS_PLAN), { account, executionName: "next" });
    expect(next.status).toBe("SUCCEEDED");
    expect(experimentsOf(account, "next").length).toBeGreaterThan(0);
  });

  it("is not blocked by the expired locks of a game day that crashed without releasing them", async () => {
    const account = new SimulatedAccount(world(), 5);
    const now = account.clock.now();
    const crashed = { executionName: "crashed", planName: "ecs-checkout-zone-loss", startedAt: now - 4 * 3600_000 };
    await account.locks.take("plan:ecs-checkout-zone-loss", { ...crashed, expiresAt: now - 1000 }, now - 4 * 3600_000);
    const run = await rehearsePlan(planFrom(ECS_PLAN), { account, executionName: "after-crash" });
    expect(run.status).toBe("SUCCEEDED");
    expect(experimentsOf(account, "after-crash").length).toBeGreaterThan(0);
    // ... while an unexpired one still blocks.
    const blocked = new SimulatedAccount(world(), 5);
    await blocked.locks.take("plan:ecs-checkout-zone-loss", { ...crashed, expiresAt: now + 3600_000 }, now);
    const refused = await rehearsePlan(planFrom(ECS_PLAN), { account: blocked, executionName: "refused" });
    expect(refused.error?.name).toBe("GameDay.Overlap");
    expect(refused.error?.cause).toContain('game day "crashed" of the same plan');
  });
});
