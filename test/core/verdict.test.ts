import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GameDayState, StageRecord } from "../../src/core/gameday/state";
import type { ExperimentView } from "../../src/core/ports";
import { decideVerdict } from "../../src/core/verdict/verdict";

const stage = fc.record({
  stopReason: fc.constantFrom(undefined, "guardrail", "max-fault-duration"),
  recovered: fc.boolean(),
});
const scenario = fc.record({
  failure: fc.boolean(),
  steady: fc.boolean(),
  stages: fc.array(stage, { minLength: 1, maxLength: 3 }),
  experimentStatus: fc.constantFrom("completed", "stopped", "failed", "cancelled"),
});

type Scenario = {
  failure: boolean;
  steady: boolean;
  stages: { stopReason: string | undefined; recovered: boolean }[];
  experimentStatus: string;
};

function build(s: Scenario): [GameDayState, ExperimentView[]] {
  const records: StageRecord[] = s.stages.map((x, i) => ({
    index: i,
    name: `s${i}`,
    experiments: [{ name: "e", experimentId: `EXP${i}`, templateId: "EXT1" }],
    faultStartedAt: 0,
    faultEndedAt: 10,
    ...(x.stopReason ? { stopRequested: { at: 5, reason: x.stopReason as "guardrail", probeIds: ["p"] } } : {}),
    consecutiveBreaches: {},
    firstBreachAt: {},
    polls: 1,
    recovery: x.recovered ? { inBandPolls: 3, recoveredAt: 20 } : { inBandPolls: 0, gaveUpAt: 30 },
  }));
  const state = {
    plan: { guardrails: { consecutiveBreachingPolls: 2 } },
    stages: s.stages.map((_, i) => ({ index: i })),
    journal: {
      baseline: { window: { start: 0, end: 1 }, steady: s.steady, readings: [] },
      stages: records,
      polls: 0,
      lastReadings: [],
      skippedStages: [],
    },
    ...(s.failure ? { failure: { Error: "Boom", Cause: "x" } } : {}),
  } as unknown as GameDayState;
  const experiments = records.map(
    (r) =>
      ({
        id: r.experiments[0]!.experimentId,
        templateId: "EXT1",
        status: s.experimentStatus,
        tags: {},
        actions: [],
      }) as ExperimentView,
  );
  return [state, experiments];
}

describe("verdict rules", () => {
  it("follow their precedence: error, not steady, broken hypothesis, FIS failure, interruption, pass", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { verdict } = decideVerdict(...build(s));
        const hypothesisBroken = s.stages.some((x) => x.stopReason === "guardrail" || !x.recovered);
        const stoppedByUs = s.stages.every((x) => x.stopReason);
        const expected = s.failure
          ? "ERROR"
          : !s.steady
            ? "ABORTED"
            : hypothesisBroken
              ? "FAILED"
              : s.experimentStatus === "failed"
                ? "ERROR"
                : s.experimentStatus === "cancelled" || (s.experimentStatus === "stopped" && !stoppedByUs)
                  ? "ABORTED"
                  : "PASSED";
        expect(verdict).toBe(expected);
      }),
    );
  });

  it("never passes a game day whose system did not recover", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const [state, experiments] = build({
          ...s,
          stages: s.stages.map((x, i) => (i === 0 ? { ...x, recovered: false } : x)),
        });
        expect(decideVerdict(state, experiments).verdict).not.toBe("PASSED");
      }),
    );
  });
});
