import { describe, expect, it } from "vitest";
import { isTerminal } from "../../src/core/ports";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planFrom, rehearsePlan, run } from "../helpers";

const dir = mkdtempSync(join(tmpdir(), "gameday-lever-"));

const ECS = "plans/ecs-checkout-zone-loss.json";

describe("FIS's safety lever in a rehearsal", () => {
  it("stops the live fault when engaged: the game day ends ABORTED naming the lever, nothing left running", async () => {
    let engaged = false;
    // Ten minutes of CPU stress: the lever is pulled while it is live.
    const result = await rehearsePlan(planFrom("plans/ec2-web-tier.json"), {
      wrapHandler: (account) => (key, handler) => async (event) => {
        if (key === "ObserveFault" && !engaged) {
          engaged = true;
          account().fis.engageLever("incident INC-42: stop all chaos");
        }
        return handler(event);
      },
    });
    const experiments = [...result.account.fis.experiments.values()];
    // The live one stopped; the next stage's, started while the lever stayed engaged, cancelled.
    expect(experiments.map((e) => e.status)).toEqual(["stopped", "cancelled"]);
    expect(result.report!.verdict).toBe("ABORTED");
    expect(result.report!.reason).toMatch(
      /FIS's safety lever stopped experiment \S+: Stopped by the safety lever: incident INC-42: stop all chaos/,
    );
    expect(result.report!.rehearsal!.orphanedExperiments).toBe(0);
  });

  it("cancels a game day started while it is engaged: ABORTED naming the lever, never ERROR", async () => {
    const result = await rehearsePlan(planFrom(ECS), {
      wrapHandler: (account) => (key, handler) => async (event) => {
        if (key === "ValidatePlan") account().fis.engageLever("change freeze");
        return handler(event);
      },
    });
    const experiments = [...result.account.fis.experiments.values()];
    expect(experiments.map((e) => e.status)).toEqual(["cancelled"]);
    expect(experiments.every((e) => isTerminal(e.status))).toBe(true);
    expect(result.report!.verdict).toBe("ABORTED");
    expect(result.report!.reason).toMatch(/FIS's safety lever cancelled experiment \S+: .*change freeze/);
  });

  it("lets game days run again once disengaged", async () => {
    const result = await rehearsePlan(planFrom(ECS), {
      wrapHandler: (account) => (key, handler) => async (event) => {
        if (key === "ValidatePlan") {
          account().fis.engageLever("drill");
          account().fis.disengageLever("drill over");
        }
        return handler(event);
      },
    });
    expect(["PASSED", "FAILED"]).toContain(result.report!.verdict);
  });

  it("is pulled by --fault safety-lever-at in a rehearsal, and says so", async () => {
    const { code, out } = await run([
      "rehearse",
      "plans/ec2-web-tier.json",
      "--fault",
      "safety-lever-at:PT5M",
      "--out",
      dir,
    ]);
    expect(code).toBe(3);
    expect(out).toContain("FIS's safety lever stopped experiment");
    expect(out).toContain("faults injected: safety-lever-at:PT300S ×1");
  });
});
