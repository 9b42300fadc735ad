import { describe, expect, it } from "vitest";
import { newReport } from "../../src/core/report/construct";
import { renderJUnit } from "../../src/core/report/junit";
import { reportSchema } from "../../src/core/report/schema";
import { planFrom, rehearsePlan, world } from "../helpers";

describe("one report shape for every producer", () => {
  it("fills in the empty parts and refuses a report the store would refuse", () => {
    const parts = {
      plan: { name: "checkout", description: "d" },
      execution: {
        name: "x-1",
        startedAt: "2026-01-05T10:00:00Z",
        endedAt: "2026-01-05T10:05:00Z",
        actionsMode: "run-all",
      },
      verdict: "ERROR" as const,
      reason: "r",
    };
    expect(newReport(parts)).toMatchObject({ schemaVersion: 1, probes: [], stages: [], findings: [], recovery: null });
    expect(() => newReport({ ...parts, plan: { name: "Checkout Service", description: "d" } })).toThrow(
      expect.objectContaining({ name: "GameDay.InvalidReport", message: expect.stringMatching(/plan\.name/) }),
    );
    expect(() => newReport({ ...parts, execution: { ...parts.execution, endedAt: "later" } })).toThrow(
      /execution\.endedAt: must be an ISO-8601 date and time/,
    );
  });

  it("makes the state machine's minimal report (when the report step fails) one the store accepts, with an end time", async () => {
    const r = await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), {
      wrapHandler: () => (key, handler) => async (event) => {
        if (key === "BuildReport") throw Object.assign(new Error("the report step crashed"), { name: "Error" });
        return handler(event);
      },
    });
    expect(r.enteredStates.get("Build a minimal report")).toBe(1);
    expect(r.report!.verdict).toBe("ERROR");
    expect(reportSchema.safeParse(r.report).success).toBe(true);
    expect(Date.parse(r.report!.execution.endedAt)).toBeGreaterThan(Date.parse(r.report!.execution.startedAt));
    expect(renderJUnit(r.report!)).not.toContain("NaN");
    // The state machine's own minimal report is the one stored, not the orphan guard's: the context object carries
    // $$.State.EnteredTime, and $$.Execution.StartTime is the simulated start, not the wall clock.
    expect(r.account.events).toHaveLength(1);
    expect(r.report!.reason).toBe("The report could not be built; the execution history holds the details.");
    expect(r.report!.rehearsal!.reportsStored).toBe(1);
    expect(r.report!.execution.startedAt).toBe(new Date(Date.parse(world().start)).toISOString());
    expect(Date.parse(r.report!.execution.endedAt)).toBeLessThanOrEqual(r.account.clock.now());
  });
});
