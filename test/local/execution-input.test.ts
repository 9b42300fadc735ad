import { describe, expect, it } from "vitest";
import { planFrom, rehearsePlan } from "../helpers";
import { STATE_MACHINE_ARN } from "../../src/local/rehearsal";
import { UnknownPlanError } from "../../src/core/contract/errors";

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

describe("inline plans, which anyone allowed to start an execution can write", () => {
  const shipped = planFrom("plans/ecs-checkout-zone-loss.json");
  const catalog = (...plans: { name: string }[]) => ({
    load: async (name: string) => {
      const found = plans.find((p) => p.name === name);
      if (!found) throw new UnknownPlanError(`No plan named "${name}" ships with this stack.`);
      return found;
    },
  });

  it("refuses one carrying the name of a plan the stack ships, before anything is injected", async () => {
    // Bounds nobody can break: its PASSED report would have become the shipped plan's baseline and dashboard mark.
    const forged = structuredClone(shipped);
    const result = await rehearsePlan(forged, { plans: catalog(shipped) });
    expect(result.account.fis.experiments.size).toBe(0);
    expect(result.error?.name).toBe("GameDay.InvalidPlan");
    expect(result.error?.cause).toContain('named "ecs-checkout-zone-loss", the name of a plan this stack ships');
  });

  it("stores a run of one with a name of its own, and never makes it a baseline", async () => {
    const own = { ...structuredClone(shipped), name: "my-checkout-trial" };
    const result = await rehearsePlan(own, { plans: catalog(shipped) });
    expect(["PASSED", "FAILED"]).toContain(result.report?.verdict);
    expect(result.report?.plan).toMatchObject({ name: "my-checkout-trial", inline: true });
    const objects = [...result.account.stackOf(STATE_MACHINE_ARN).reportBucket.objects.keys()];
    expect(objects).toContain(`reports/my-checkout-trial/${result.report!.execution.name}.json`);
    expect(objects.filter((key) => key.endsWith("/latest.json"))).toEqual([]);
  });

  it("lets a plan started by name set its baseline, as a console start of a shipped plan does", async () => {
    const result = await rehearsePlan(shipped);
    expect(result.report?.plan.inline).toBeUndefined();
    const objects = [...result.account.stackOf(STATE_MACHINE_ARN).reportBucket.objects.keys()];
    if (["PASSED", "FAILED"].includes(result.report!.verdict))
      expect(objects).toContain("reports/ecs-checkout-zone-loss/latest.json");
  });
});
