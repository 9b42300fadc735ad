import { describe, expect, it } from "vitest";
import { planFrom, rehearsePlan } from "../helpers";
import { STATE_MACHINE_ARN } from "../../src/local/rehearsal";

describe("the execution input, as typed into the console", () => {
  it.each([
    [{ actionMode: "skip-all" }, /unknown key "actionMode" \(did you mean "actionsMode"\?\)/],
    [{ actionsMode: "preview" }, /actionsMode is "preview"; it is "run-all" \(inject\) or "skip-all"/],
    [{ actionsMode: "skip-al" }, /actionsMode is "skip-al" \(did you mean "skip-all"\?\)/],
  ])("refuses %j before anything is injected, and the execution's cause says why", async (input, why) => {
    const result = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), { input });
    expect(result.account.fis.experiments.size).toBe(0);
    expect(result.status).toBe("FAILED");
    expect(result.error?.name).toBe("GameDay.InvalidPlan");
    expect(result.error?.cause).toMatch(why);
    // The stored report (the orphan guard's, for a refused execution) carries the same reason.
    expect(result.report).toMatchObject({ verdict: "ABORTED", rehearsal: { reportsStored: 1 } });
    expect(result.report?.reason).toMatch(why);
  });

  it("still starts a preview spelt right, injecting nothing", async () => {
    const result = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), {
      input: { actionsMode: "skip-all" },
    });
    const experiments = [...result.account.fis.experiments.values()];
    expect(experiments.length).toBeGreaterThan(0);
    expect(experiments.every((e) => e.actionsMode === "skip-all")).toBe(true);
  });
});

describe("execution names, checked before anything is injected", () => {
  it.each(["latest", "release-1.2.3"])(
    "refuses an execution named %s: its report could not be stored",
    async (name) => {
      const result = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), { executionName: name });
      expect(result.account.fis.experiments.size).toBe(0);
      expect(result.error?.name).toBe("GameDay.InvalidPlan");
      expect(result.error?.cause).toContain(`The execution name "${name}"`);
      // Nothing of another run's is overwritten: no object named after the plan's baseline pointer was written.
      const objects = [...result.account.stackOf(STATE_MACHINE_ARN).reportBucket.objects.keys()];
      expect(objects.filter((key) => key.endsWith("/latest.json"))).toEqual([]);
    },
  );
});
