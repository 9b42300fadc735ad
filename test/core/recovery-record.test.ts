import { describe, expect, it } from "vitest";
import { recordWaitSeconds } from "../../src/core/gameday/record-wait";
import type { GameDayState, StageRecord } from "../../src/core/gameday/state";
import type { ExperimentView } from "../../src/core/ports";
import { recoveryRecordOf, type FaultRecord, type RecordPoint } from "../../src/core/verdict/fault-record";
import { decideVerdict } from "../../src/core/verdict/verdict";

const MINUTE = 60_000;
/** Points one per minute from `from` (minutes), each in band ("." ) or out of bounds ("x"); " " is a gap. */
const points = (pattern: string, from = 0): RecordPoint[] =>
  [...pattern].flatMap((c, i) =>
    c === " "
      ? []
      : [{ at: (from + i) * MINUTE, value: c === "x" ? 9 : 1, breaches: c === "x" ? ["value 9 > 5"] : [] }],
  );

describe("a probe's record of a recovery window", () => {
  const base = { periodSeconds: 60, streakSeconds: 180, window: { start: 0, end: 10 * MINUTE } };
  it.each([
    // pattern from minute 0, published until, missing-data treatment → recovered at (minute), last breach, complete
    { pattern: "...xxxxxxx", until: 10, missing: "missing", recoveredAt: 0 },
    { pattern: "xx.x...xxx", until: 10, missing: "missing", recoveredAt: 4 },
    { pattern: "xxxxxx.x..", until: 10, missing: "missing", last: 7 },
    { pattern: "xxxxxx.x..", until: 9, missing: "missing", last: 7, complete: false },
    { pattern: "x.. ......", until: 10, missing: "missing", recoveredAt: 4, noData: 1 },
    { pattern: "x.. ......", until: 10, missing: "notBreaching", recoveredAt: 1 },
    { pattern: "x.. ......", until: 10, missing: "breaching", recoveredAt: 4 },
    // A gap ignored keeps the streak going, as for the recovery polls.
    { pattern: "x.. ......", until: 10, missing: "ignore", recoveredAt: 1 },
    { pattern: "x  x .....", until: 10, missing: "ignore", recoveredAt: 4 },
    { pattern: "          ", until: 10, missing: "missing", noData: 10 },
  ])("$pattern published until minute $until, missing data $missing", (c) => {
    const record = recoveryRecordOf({
      ...base,
      points: points(c.pattern),
      publishedUntil: c.until * MINUTE,
      missingData: c.missing as "missing",
    });
    expect(record.recoveredAt).toBe(c.recoveredAt === undefined ? undefined : c.recoveredAt * MINUTE);
    expect(record.lastOutOfBounds?.at).toBe(c.last === undefined ? undefined : c.last * MINUTE);
    expect(record.complete).toBe(c.complete ?? true);
    expect(record.noDataPeriods).toBe(c.noData ?? 0);
    expect(record.periodsNeeded).toBe(3);
  });

  it("times recovery from the fault's end when the period it ended in is already in band", () => {
    const record = (pattern: string) =>
      recoveryRecordOf({
        ...base,
        window: { start: 30_000, end: 10 * MINUTE },
        points: points(pattern),
        publishedUntil: 10 * MINUTE,
        missingData: "missing",
      });
    expect(record("..........").recoveredAt).toBe(30_000);
    expect(record("x.........").recoveredAt).toBe(MINUTE);
  });

  it("needs the polls' streak as a duration: one 5-minute period covers three 60-second polls", () => {
    const record = recoveryRecordOf({
      periodSeconds: 300,
      streakSeconds: 180,
      window: { start: 0, end: 10 * MINUTE },
      points: [{ at: 0, value: 1, breaches: [] }],
      publishedUntil: 10 * MINUTE,
      missingData: "missing",
    });
    expect(record).toMatchObject({ periodsNeeded: 1, recoveredAt: 0 });
  });
});

/** A one-stage game day with probe p whose polls gave up (or recovered) on its recovery. */
function gameDay(polls: "gave-up" | "recovered", stages = 1): GameDayState {
  const stage = (index: number): StageRecord => ({
    index,
    name: `s${index}`,
    experiments: [{ name: "e", experimentId: `EXP${index}`, templateId: "EXT1" }],
    faultStartedAt: 0,
    faultEndedAt: 5 * MINUTE,
    consecutiveBreaches: {},
    firstBreachAt: {},
    polls: 5,
    faultTally: { p: { polls: 5, outOfBoundsPolls: 0, noDataPolls: 0 } },
    ...(polls === "recovered"
      ? { recovery: { inBandPolls: 3, recoveredAt: 6 * MINUTE } }
      : {
          // Lambda timeouts held the polls back: the few that ran read data from before the fault ended.
          recovery: { inBandPolls: 0, gaveUpAt: 15 * MINUTE },
          recoveryTally: {},
        }),
  });
  return {
    plan: {
      name: "p",
      guardrails: { consecutiveBreachingPolls: 2 },
      hypothesis: {
        probes: [
          {
            id: "p",
            type: "metric",
            metric: {
              namespace: "AWS/ApplicationELB",
              metricName: "X",
              dimensions: {},
              statistic: "Average",
              periodSeconds: 60,
            },
            bounds: { max: 5 },
          },
        ],
      },
    },
    timing: { pollSeconds: 60, recoverySeconds: 600, recoveredAfterPolls: 3 },
    run: { actionsMode: "run-all" },
    stages: Array.from({ length: stages }, (_, i) => ({ index: i })),
    journal: {
      baseline: { window: { start: -10 * MINUTE, end: 0 }, steady: true, readings: [] },
      stages: [stage(0)],
      polls: 10,
      lastReadings: [],
      skippedStages: polls === "gave-up" && stages > 1 ? ["s1"] : [],
    },
  } as unknown as GameDayState;
}

const experiments = [
  {
    id: "EXP0",
    templateId: "EXT1",
    status: "completed",
    tags: {},
    actions: [{ name: "kill", actionId: "aws:ecs:stop-task", status: "completed", startTime: "2026-01-01T00:00:00Z" }],
  } as unknown as ExperimentView,
];

const recordOf = (pattern: string): Record<number, Record<string, FaultRecord>> => ({
  0: {
    p: {
      periods: 5,
      noDataPeriods: 0,
      outOfBoundsPeriods: 0,
      periodSeconds: 60,
      recovery: recoveryRecordOf({
        points: points(pattern, 5),
        periodSeconds: 60,
        window: { start: 5 * MINUTE, end: 15 * MINUTE },
        publishedUntil: 15 * MINUTE,
        missingData: "missing",
        streakSeconds: 180,
      }),
    },
  },
});

describe("recovery judged on the complete record", () => {
  it("passes a stage whose polls gave up but whose record shows it back in bounds", () => {
    const facts = decideVerdict(gameDay("gave-up"), experiments, recordOf("x.........."));
    expect(facts.verdict).toBe("PASSED");
  });

  it("fails a stage whose record never shows it back, whatever the polls saw", () => {
    const facts = decideVerdict(gameDay("recovered"), experiments, recordOf("xxxxxxx.x.x"));
    expect(facts.verdict).toBe("FAILED");
    expect(facts.findings).toContainEqual(
      expect.objectContaining({ rule: "not-recovered", probeId: "p", at: "1970-01-01T00:13:00Z" }),
    );
  });

  it("is inconclusive, not failed, when the record stops before the window does", () => {
    const records = recordOf("xxxx");
    records[0]!.p!.recovery!.complete = false;
    const facts = decideVerdict(gameDay("gave-up"), experiments, records);
    expect(facts.verdict).toBe("INCONCLUSIVE");
    expect(facts.reason).toMatch(/not all published/);
  });

  it("is inconclusive when the polls gave up and later stages never ran, though the record shows recovery", () => {
    const facts = decideVerdict(gameDay("gave-up", 2), experiments, recordOf("x.........."));
    expect(facts.verdict).toBe("INCONCLUSIVE");
    expect(facts.reason).toMatch(/"s1" never ran/);
  });

  it("falls back to the polls for a probe without a record", () => {
    const facts = decideVerdict(gameDay("gave-up"), experiments, {});
    expect(facts.verdict).toBe("INCONCLUSIVE");
  });
});

describe("the wait for the record", () => {
  it("lasts until the last recovery window's final period is published", () => {
    // The fault ended at 5:00; the record's window runs until now, at most the 10-minute recovery window. ALB data
    // comes 60 s after its period ends.
    expect(recordWaitSeconds(gameDay("recovered"), 9 * MINUTE)).toBe(60);
    expect(recordWaitSeconds(gameDay("recovered"), 9.5 * MINUTE)).toBe(90);
    expect(recordWaitSeconds(gameDay("gave-up"), 15 * MINUTE)).toBe(60);
    expect(recordWaitSeconds(gameDay("gave-up"), 20 * MINUTE)).toBe(0);
  });

  it("is nothing when no stage ran", () => {
    const state = gameDay("recovered");
    state.journal.stages = [];
    expect(recordWaitSeconds(state, 9 * MINUTE)).toBe(0);
  });
});
