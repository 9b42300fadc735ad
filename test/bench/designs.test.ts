import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getMetricDataCallsFor } from "../../bench/api-calls";
import { NAIVE_FUNCTIONS } from "../../bench/naive/functions";
import { countedRehearsal, fisActionMinutes, referencePlan } from "../../bench/usage";

// What the benchmark compares must keep running; its figures are checked by `npm run bench`, not here.
describe("the benchmark's designs", () => {
  it("rehearses the reference game day with gameday's design, counting its calls", async () => {
    const run = await countedRehearsal(referencePlan(), 1);
    expect(run.result.report!.verdict).toBe("PASSED");
    expect(run.usage.lambdaInvocations).toBeGreaterThan(run.result.report!.rehearsal!.polls);
    expect(run.usage.getMetricDataCalls).toBeGreaterThan(0);
    expect(run.usage.lockWrites).toBeGreaterThan(0);
    expect(fisActionMinutes(run.account)).toBeCloseTo(10, 0);
  });

  it("runs the naive status-polling design in the same interpreter: seven states and a call per metric per poll", async () => {
    const naive = await countedRehearsal(referencePlan(), 1, {
      definition: readFileSync("bench/naive/game-day.asl.json", "utf8"),
      functions: NAIVE_FUNCTIONS,
    });
    expect(naive.result.status).toBe("SUCCEEDED");
    const polls = naive.result.enteredStates.get("Read the metrics")!;
    expect(polls).toBeGreaterThan(15);
    for (const state of [
      "Wait 30 seconds",
      "Get the experiment",
      "Read the traces",
      "Decide",
      "Is a guardrail broken?",
    ])
      expect(naive.result.enteredStates.get(state), state).toBeGreaterThanOrEqual(polls);
    // The plan has two metric-based probes: two GetMetricData calls per poll.
    expect(naive.usage.getMetricDataCalls).toBe(2 * polls);
  });

  it("counts GetMetricData calls through the real CloudWatch adapter", async () => {
    expect(await getMetricDataCallsFor(500)).toBe(1);
    expect(await getMetricDataCallsFor(501)).toBe(2);
  });
});
