import { describe, expect, it } from "vitest";
import { estimateCost, maxConcurrentGameDays, type GameDayUsage } from "../../src/core/cost/model";
import { fisActionMinutes, gameDayCost } from "../../src/core/cost/game-day-cost";

const usage: GameDayUsage = {
  stateTransitions: 1000,
  lambdaInvocations: 100,
  lambdaMillisecondsPerInvocation: 500,
  lambdaMemoryMb: 1024,
  metricsRequested: 2000,
  tracesRetrieved: 10_000,
  customEvents: 1,
  dynamoWrites: 8,
  dynamoReads: 2,
  fisActionMinutes: 10.2,
};

describe("the cost model", () => {
  it("prices each item at list price and compares the orchestration with the FIS action-minutes", () => {
    const cost = estimateCost(usage);
    expect(cost.orchestration.stateTransitions).toBeCloseTo(0.025, 10);
    expect(cost.orchestration.lambdaRequests).toBeCloseTo(0.00002, 10);
    // 100 × 0.5 s × 1 GB = 50 GB-s on arm64
    expect(cost.orchestration.lambdaDuration).toBeCloseTo(50 * 0.0000133334, 10);
    expect(cost.orchestration.metrics).toBeCloseTo(0.02, 10);
    expect(cost.orchestration.traces).toBeCloseTo(0.005, 10);
    expect(cost.orchestration.locks).toBeCloseTo(8 * 1.25e-6 + 2 * 0.25e-6, 12);
    // FIS rounds to the nearest minute.
    expect(cost.fisUsd).toBeCloseTo(1.0, 10);
    expect(cost.orchestrationUsd).toBeCloseTo(
      Object.values(cost.orchestration).reduce((a, b) => a + b),
      12,
    );
    expect(cost.orchestrationShareOfFis).toBeCloseTo(cost.orchestrationUsd / 1.0, 12);
  });

  it("calls a game day without fault minutes infinitely expensive relative to FIS", () => {
    expect(estimateCost({ ...usage, fisActionMinutes: 0 }).orchestrationShareOfFis).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("concurrent game days under the default quotas", () => {
  it("are bound by FIS's five active experiments when each game day polls metrics once", () => {
    const limit = maxConcurrentGameDays({ getMetricDataCallsPerPoll: 1, pollSeconds: 30, experimentsAtOnce: 1 });
    expect(limit).toEqual({
      maxConcurrentGameDays: 5,
      boundBy: "fisActiveExperiments",
      byQuota: { getMetricDataTps: 1500, fisActiveExperiments: 5 },
    });
  });

  it("are bound by GetMetricData when a design calls it once per probe at a short poll", () => {
    const limit = maxConcurrentGameDays({ getMetricDataCallsPerPoll: 100, pollSeconds: 5, experimentsAtOnce: 1 });
    expect(limit.boundBy).toBe("getMetricDataTps");
    expect(limit.maxConcurrentGameDays).toBe(2);
  });
});

describe("the cost of one game day", () => {
  const experiment = (actions: { startTime?: string; endTime?: string }[]) =>
    ({
      id: "EXP1",
      actions: actions.map((a, i) => ({ name: `a${i}`, actionId: "aws:ecs:stop-task", status: "completed", ...a })),
    }) as never;

  it("counts FIS action-minutes per action, rounded, at least one for an action that ran", () => {
    expect(
      fisActionMinutes([
        experiment([
          { startTime: "2026-11-24T10:00:00Z", endTime: "2026-11-24T10:10:20Z" },
          { startTime: "2026-11-24T10:00:00Z", endTime: "2026-11-24T10:00:00Z" },
          {},
        ]),
      ]),
    ).toBe(11);
  });

  it("itemizes every service at list price and sums to its total", () => {
    const state = {
      plan: {
        hypothesis: {
          probes: [
            { id: "p", type: "metric", metric: { namespace: "N", name: "M", statistic: "Sum", periodSeconds: 60 } },
          ],
        },
      },
      journal: { polls: 20, stages: [{}, {}] },
    } as never;
    const cost = gameDayCost(state, [
      experiment([{ startTime: "2026-11-24T10:00:00Z", endTime: "2026-11-24T10:05:00Z" }]),
    ]);
    expect(cost.items.map((i) => i.service)).toEqual([
      "FIS",
      "Step Functions",
      "Lambda",
      "Lambda",
      "CloudWatch",
      "CloudWatch Logs",
      "EventBridge",
      "S3",
      "CloudWatch",
      "CloudWatch",
    ]);
    expect(cost.items[0]).toEqual({ service: "FIS", unit: "action-minutes", quantity: 5, usd: 0.5 });
    expect(cost.items[1]).toMatchObject({ quantity: 2 * 12 + 20 * 3 });
    expect(cost.items[4]).toMatchObject({ quantity: 22 });
    expect(cost.totalUsd).toBeCloseTo(
      cost.items.reduce((s, i) => s + i.usd, 0),
      5,
    );
    expect(cost.basis).toContain("20 poll(s) and 2 stage(s)");
  });
});
