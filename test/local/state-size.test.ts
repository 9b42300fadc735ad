import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/core/plan/check";
import { MAX_STATE_BYTES } from "../../src/core/report/reference";
import { isTerminal } from "../../src/core/ports";
import { planFrom, rehearsePlan } from "../helpers";
import { rehearseAndCheckInvariants } from "../safety/invariants";

describe("Step Functions' 256 KiB state limit in the rehearsal", () => {
  it("keeps a plan of 50 probes with a 12-hour fault far under the limit: the report leaves by reference", async () => {
    const { result, broken } = await rehearseAndCheckInvariants("test/fixtures/fifty-probes-twelve-hours.json", [], 1);
    expect(broken).toEqual([]);
    const largest = result.report!.rehearsal!.largestStateBytes!;
    // Before the report left by reference, the report step's result alone was 1,942,189 bytes.
    expect(largest.bytes).toBeLessThan(MAX_STATE_BYTES / 4);
    expect(result.status).toBe("SUCCEEDED");
    // The stored report is the whole one, every probe with its series.
    expect(result.report!.probes).toHaveLength(50);
    expect(result.report!.fullReport).toBeUndefined();
    expect(result.report!.probes[0]!.timeline!.timestamps.length).toBeGreaterThan(100);
  });

  it("fails the execution with States.DataLimitExceeded, past every Catch, as AWS does", async () => {
    const result = await rehearsePlan(planFrom("plans/ec2-web-tier.json"), {
      wrapHandler: () => (key, handler) => async (event) => {
        const output = (await handler(event)) as Record<string, unknown>;
        return key === "ObserveFault" ? { ...output, padding: "x".repeat(MAX_STATE_BYTES) } : output;
      },
    });
    expect(result.status).toBe("FAILED");
    expect(result.error).toMatchObject({
      name: "States.DataLimitExceeded",
      cause: expect.stringMatching(/'Observe the system during the fault' returned a result with a size of \d+ bytes/),
    });
    // No Catch ran: the state machine never reached its cleanup, so the orphan guard stopped the fault and reported.
    expect(result.enteredStates.get("Stop every experiment this game day started")).toBeUndefined();
    expect(result.report).toMatchObject({ verdict: "ERROR", rehearsal: { reportsStored: 1, orphanedExperiments: 0 } });
    expect([...result.account.fis.experiments.values()].every((e) => isTerminal(e.status))).toBe(true);
  });

  it("has validate refuse a plan whose state could pass the limit, with the estimate and the limit", () => {
    const plan = planFrom("plans/ec2-web-tier.json", (p) => {
      p.hypothesis.probes = Array.from({ length: 200 }, (_, i) => ({ ...p.hypothesis.probes[1], id: `p${i}` }));
      p.stages = Array.from({ length: 3 }, (_, i) => ({ ...p.stages[0], name: `stage ${i}` }));
    });
    expect(checkPlan(plan).problems).toContainEqual(
      expect.objectContaining({
        path: "hypothesis.probes",
        message: expect.stringMatching(/state could reach about \d+ bytes .* Step Functions allows 262144/),
      }),
    );
  });
});

describe("Step Functions' 25,000-event history limit in the rehearsal", () => {
  /** A state machine that loops `times` times through a Pass and a Choice: four history events a turn. */
  const loop = (times: number) =>
    JSON.stringify({
      StartAt: "Start",
      States: {
        Start: { Type: "Pass", Result: { n: 0 }, Next: "Count" },
        Count: { Type: "Pass", Parameters: { "n.$": "States.MathAdd($.n, 1)" }, Next: "Again?" },
        "Again?": {
          Type: "Choice",
          Choices: [{ Variable: "$.n", NumericLessThan: times, Next: "Count" }],
          Default: "Done",
        },
        Done: { Type: "Succeed" },
      },
    });

  it("fails an execution whose history reaches 25,000 events, as Step Functions does", async () => {
    const result = await rehearsePlan(planFrom("plans/ec2-web-tier.json"), { definition: loop(7_000) });
    expect(result.status).toBe("FAILED");
    expect(result.error).toMatchObject({ name: "States.Runtime", cause: expect.stringContaining("25000 events") });
  });

  it("lets one under the limit succeed", async () => {
    const result = await rehearsePlan(planFrom("plans/ec2-web-tier.json"), { definition: loop(5_000) });
    expect(result.status).toBe("SUCCEEDED");
  });
});
