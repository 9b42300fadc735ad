import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NOT_SIMULATED_REASON } from "../../src/core/contract/rehearsal";
import { checkSteadyState, observeFault, observeRecovery, type FaultWatchPorts } from "../../src/core/gameday/observe";
import { prepareGameDay } from "../../src/core/gameday/prepare";
import { MISSING_DATA_TREATMENTS, type MissingDataTreatment } from "../../src/core/plan/schema";
import type { GameDayState, StageRecord } from "../../src/core/gameday/state";
import type { ExperimentView } from "../../src/core/ports";
import { decideVerdict } from "../../src/core/verdict/verdict";

/** How many generated game days the model property runs (the note on the verdict issue quotes it). */
export const VERDICT_PROPERTY_RUNS = 400;

const POLL_SECONDS = 30;
const BOUND = 10;

/**
 * One generated game day: a metric probe with `max: 10`, the value it reads at each poll after the baseline
 * (null: no datapoint), how many polls the fault lasts on its own, the guardrail, the tolerance, and recovery.
 */
interface Case {
  values: (number | null)[];
  faultPolls: number;
  guardrailPolls: number;
  tolerancePolls: number | null;
  recoveryPolls: number;
  recoveredAfterPolls: number;
  /** How many polls late CloudWatch delivers each datapoint: the reading at poll p describes poll p - lag. */
  lagPolls: number;
  treatMissingData: MissingDataTreatment;
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    values: fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { freq: 8, nil: null }), {
      minLength: 24,
      maxLength: 24,
    }),
    faultPolls: fc.integer({ min: 1, max: 6 }),
    guardrailPolls: fc.integer({ min: 1, max: 4 }),
    tolerancePolls: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    recoveryPolls: fc.integer({ min: 2, max: 8 }),
    recoveredAfterPolls: fc.integer({ min: 1, max: 3 }),
    lagPolls: fc.integer({ min: 0, max: 2 }),
    treatMissingData: fc.constantFrom(...MISSING_DATA_TREATMENTS),
  })
  .filter((c) => c.recoveredAfterPolls <= c.recoveryPolls);

/** A reading as the probe's treatment of missing data makes it. */
type Seen = "in" | "out" | "out-without-data" | "missing" | "ignored";
const seen = (v: number | null, treat: MissingDataTreatment): Seen =>
  v !== null
    ? v > BOUND
      ? "out"
      : "in"
    : treat === "breaching"
      ? "out-without-data"
      : treat === "notBreaching"
        ? "in"
        : treat === "missing"
          ? "missing"
          : "ignored";

const isOut = (s: Seen) => s === "out" || s === "out-without-data";

/**
 * The oracle, written from README's verdict model and nothing else:
 * - a poll without data is read as the probe's `treatMissingData` says: breaching (out of bounds), notBreaching (in
 *   bounds, yet no evidence of how the system held up), notBreaching (in bounds), missing or ignore (no evidence;
 *   `ignore` keeps a guardrail or recovery streak going, `missing` ends it);
 * - the fault is live from the first poll until the poll that finds the experiment ended: on its own after
 *   `faultPolls` polls, or one poll after a guardrail stop (a stop after `guardrailPolls` consecutive polls out of
 *   bounds, taken while the experiment still runs);
 * - a reading counts for the time its data describes: CloudWatch delivers it `lagPolls` polls late, so the first
 *   readings of the fault describe the steady state before it (judged with neither), and the first readings after
 *   the fault ended describe the fault (judged with it); only readings of the time after the fault show recovery;
 * - FAILED: a guardrail stop on readings out of bounds; readings out of bounds for longer than the tolerance
 *   (none declared: any); or no run of `recoveredAfterPolls` polls showing recovery within the recovery window, with
 *   a reading out of bounds to show it;
 * - INCONCLUSIVE: a stop, a whole fault phase or a failed recovery with no reading out of bounds, only missing data;
 * - PASSED otherwise.
 */
function oracle(c: Case): "PASSED" | "FAILED" | "INCONCLUSIVE" {
  const at = (poll: number) => seen(c.values[poll - 1] ?? null, c.treatMissingData);
  let stopAt: number | null = null;
  let streak = 0;
  for (let poll = 1; poll < c.faultPolls && stopAt === null; poll++) {
    const s = at(poll);
    if (s !== "ignored") streak = isOut(s) ? streak + 1 : 0;
    if (streak >= c.guardrailPolls) stopAt = poll;
  }
  const faultEnd = stopAt === null ? c.faultPolls : Math.min(stopAt + 1, c.faultPolls);
  // The poll whose time a reading taken at `poll` describes.
  const describes = (poll: number) => poll - c.lagPolls;
  const fault: Seen[] = [];
  const afterTheFault: Seen[] = [];
  for (let poll = 1; poll <= faultEnd; poll++) if (describes(poll) >= 1) fault.push(at(poll));
  let recovered = false;
  let inBand = 0;
  for (let k = 1; k <= c.recoveryPolls && !recovered; k++) {
    const poll = faultEnd + k;
    const s = at(poll);
    const q = describes(poll);
    if (q >= 1 && q <= faultEnd) fault.push(s);
    if (q > faultEnd) afterTheFault.push(s);
    if (isOut(s) || (q > faultEnd && s === "missing")) inBand = 0;
    else if (q > faultEnd) inBand += 1;
    recovered = inBand >= c.recoveredAfterPolls;
  }
  const outOfBounds = fault.filter(isOut).length;
  const toleratedPolls = c.tolerancePolls ?? 0;

  const failed =
    (stopAt !== null && outOfBounds > 0) || outOfBounds > toleratedPolls || (!recovered && afterTheFault.some(isOut));
  if (failed) return "FAILED";
  // Missing data treated as breaching breaks bounds, but shows nothing of how the system held up.
  const noEvidence = (s: Seen) => s === "missing" || s === "ignored" || s === "out-without-data";
  const blind = stopAt !== null || fault.every(noEvidence) || !recovered;
  return blind ? "INCONCLUSIVE" : "PASSED";
}

/** Runs the real steps (steady state, fault polls, recovery polls) over the case's readings, then the verdict. */
async function playGameDay(c: Case) {
  const start = Date.parse("2026-11-24T10:00:00Z");
  let now = start;
  let poll = 0;
  let stopRequestedAt: number | null = null;
  let endedAt: number | null = null;
  const status = () => {
    if (stopRequestedAt !== null && poll >= stopRequestedAt + 1) return "stopped";
    if (poll >= c.faultPolls) return "completed";
    return "running";
  };
  const ports: FaultWatchPorts = {
    clock: { now: () => now },
    metrics: {
      async query(queries, window) {
        // The period starting k polls after the start is published `lagPolls` polls after it ends, and holds the
        // value read at that poll (the steady state before the first poll). A poll asks for its last published period;
        // the record read before giving up on recovery asks for all of them.
        const period = POLL_SECONDS * 1000;
        const published = start + (poll - c.lagPolls) * period;
        const timestamps: number[] = [];
        const values: number[] = [];
        for (let t = Math.ceil((window.start - start) / period) * period + start; t < window.end; t += period) {
          if (t + period > published) break;
          const k = (t - start) / period;
          const value = k + c.lagPolls < 0 ? 1 : (c.values[k + c.lagPolls] ?? null);
          if (value === null) continue;
          timestamps.push(t);
          values.push(value);
        }
        return new Map(queries.map((q) => [q.id, { id: q.id, timestamps, values }]));
      },
      alarmStates: async () => new Map(),
      alarmHistory: async () => [],
    },
    traces: {} as FaultWatchPorts["traces"],
    experiments: {
      async get(id): Promise<ExperimentView> {
        const s = status();
        if (s !== "running") endedAt ??= now;
        return {
          id,
          templateId: "EXT1",
          status: s,
          tags: {},
          actions: [{ name: "a", actionId: "aws:ecs:stop-task", status: s, startTime: new Date(start).toISOString() }],
          ...(s !== "running" ? { endTime: new Date(endedAt!).toISOString(), reason: `Experiment ${s}.` } : {}),
        };
      },
    },
  };
  const plan = {
    name: "generated",
    description: "generated",
    hypothesis: {
      probes: [
        {
          id: "errors",
          type: "metric",
          // One period per poll, published `lagPolls` polls late.
          metric: {
            namespace: "N",
            name: "M",
            statistic: "Maximum",
            periodSeconds: POLL_SECONDS,
            publicationDelaySeconds: c.lagPolls * POLL_SECONDS,
          },
          bounds: { max: BOUND },
          treatMissingData: c.treatMissingData,
          ...(c.tolerancePolls === null
            ? {}
            : { tolerance: { outOfBoundsDuringFault: `PT${c.tolerancePolls * POLL_SECONDS}S` } }),
        },
      ],
    },
    stages: [{ name: "only", experiments: [{ template: { id: "EXT1" } }] }],
    timing: {
      baseline: "PT5M",
      pollInterval: `PT${POLL_SECONDS}S`,
      maxFaultDuration: "PT1H",
      recovery: `PT${c.recoveryPolls * POLL_SECONDS}S`,
      recoveredAfterPolls: c.recoveredAfterPolls,
    },
    guardrails: { consecutiveBreachingPolls: c.guardrailPolls },
  };
  let state = await prepareGameDay(
    plan,
    { executionName: "x", stateMachine: "arn:aws:states:us-east-1:123456789012:stateMachine:gameday" },
    { resolve: async () => "EXT1" },
    ports.clock,
  );
  state = await checkSteadyState(state, ports);
  state = {
    ...state,
    stage: { ...state.stage, started: [{ experimentId: "EXP1", templateId: "EXT1", status: "initiating" }] },
  };
  do {
    poll += 1;
    now += POLL_SECONDS * 1000;
    state = await observeFault(state, ports);
    if (state.decision.next === "stop-experiments") stopRequestedAt ??= poll;
  } while (state.decision.next !== "watch-recovery");
  do {
    poll += 1;
    now += POLL_SECONDS * 1000;
    state = await observeRecovery(state, ports);
  } while (state.decision.next === "keep-recovering");
  return decideVerdict(state, [await ports.experiments.get("EXP1")]);
}

describe("the verdict model", () => {
  it("matches the README's model on generated readings, bounds, tolerances, fault lengths and guardrails", async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const facts = await playGameDay(c);
        expect(facts.verdict).toBe(oracle(c));
      }),
      { numRuns: VERDICT_PROPERTY_RUNS },
    );
  });

  it("never says 'within its bounds' when a reading broke a bound it does not tolerate", async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArbitrary.map((c) => ({ ...c, tolerancePolls: null })),
        async (c) => {
          const facts = await playGameDay(c);
          // Without lag, the readings of the fault's polls describe the fault.
          const faultReadings = c.lagPolls === 0 ? c.values.slice(0, c.faultPolls) : [];
          if (faultReadings.some((v) => v !== null && v > BOUND)) {
            expect(facts.verdict).not.toBe("PASSED");
            expect(facts.reason).not.toMatch(/within its bounds/);
          }
          // Every FAILED names the probe, the reading, the bound, when and the rule.
          for (const f of facts.findings.filter((x) => x.verdict === "FAILED")) {
            expect(f).toMatchObject({ probeId: "errors", rule: expect.any(String), at: expect.any(String) });
            if (f.value === undefined) expect(f.bound).toMatch(/no data \(treated as breaching\)/);
            else {
              expect(f.value).toBeGreaterThan(BOUND);
              expect(f.bound).toMatch(/> 10/);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("fails a fault that ends within one poll and breaks its bounds only in that poll", async () => {
    const values = [40, 1, 1, 1, 1, 1, ...Array(18).fill(1)];
    const facts = await playGameDay({
      values,
      faultPolls: 1,
      guardrailPolls: 2,
      tolerancePolls: null,
      recoveryPolls: 6,
      recoveredAfterPolls: 3,
      lagPolls: 0,
      treatMissingData: "missing",
    });
    expect(facts.verdict).toBe("FAILED");
    expect(facts.findings[0]).toMatchObject({ rule: "out-of-bounds-during-fault", value: 40, bound: "value 40 > 10" });
  });

  it("fails a task kill whose breach arrives in CloudWatch's datapoint after the experiment ended", async () => {
    // The experiment is over at the first poll, which still reads the steady minute; the next poll's datapoint is
    // the minute the fault began in.
    const facts = await playGameDay({
      values: [1, 40, ...Array(22).fill(1)],
      faultPolls: 1,
      guardrailPolls: 2,
      tolerancePolls: null,
      recoveryPolls: 6,
      recoveredAfterPolls: 3,
      lagPolls: 1,
      treatMissingData: "missing",
    });
    expect(facts.verdict).toBe("FAILED");
    expect(facts.findings[0]).toMatchObject({ rule: "out-of-bounds-during-fault", value: 40 });
  });

  it("passes the same fault when the probe tolerates a minute out of bounds", async () => {
    const facts = await playGameDay({
      values: [40, ...Array(23).fill(1)],
      faultPolls: 1,
      guardrailPolls: 2,
      tolerancePolls: 2,
      recoveryPolls: 6,
      recoveredAfterPolls: 3,
      lagPolls: 0,
      treatMissingData: "missing",
    });
    expect(facts.verdict).toBe("PASSED");
    expect(facts.reason).toMatch(/within the 1m it tolerates/);
  });
});

// The precedence of the rules that do not depend on readings, over hand-built journals.
const stage = fc.record({
  stopReason: fc.constantFrom(undefined, "guardrail", "max-fault-duration"),
  recovered: fc.boolean(),
});
const scenario = fc.record({
  failure: fc.boolean(),
  steady: fc.boolean(),
  stages: fc.array(stage, { minLength: 1, maxLength: 3 }),
  experimentStatus: fc.constantFrom("completed", "stopped", "failed", "cancelled"),
  // Every fault action ran, none did, some did (an automation skipped beside a task kill), or only a wait ran.
  actions: fc.constantFrom("all", "none", "mixed", "mixed-unsimulated", "waits-only"),
  preview: fc.boolean(),
});

type Scenario = {
  failure: boolean;
  steady: boolean;
  stages: { stopReason: string | undefined; recovered: boolean }[];
  experimentStatus: string;
  actions: "all" | "none" | "mixed" | "mixed-unsimulated" | "waits-only";
  preview: boolean;
};

const ran = { name: "kill", actionId: "aws:ecs:stop-task", status: "completed", startTime: "2026-11-24T10:00:00Z" };
const skipped = { name: "load", actionId: "aws:ssm:send-command", status: "skipped", reason: "Not modeled" };
const waited = { name: "pause", actionId: "aws:fis:wait", status: "completed", startTime: "2026-11-24T10:00:00Z" };
/** Skipped by the rehearsal, which could not simulate it (as the simulated FIS words it). */
const unsimulated = { ...skipped, reason: `${NOT_SIMULATED_REASON}: nothing was injected in the rehearsal.` };
const ACTIONS = {
  all: [ran],
  none: [skipped],
  mixed: [ran, skipped],
  "mixed-unsimulated": [ran, unsimulated],
  "waits-only": [waited, skipped],
};
const injects = (s: Scenario) => s.actions !== "none" && s.actions !== "waits-only";

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
    faultTally: {
      p:
        x.stopReason === "guardrail"
          ? {
              polls: 2,
              outOfBoundsPolls: 2,
              noDataPolls: 0,
              firstOutOfBounds: { at: 4, value: 9, breach: "value 9 > 1" },
              lastOutOfBounds: { at: 5, value: 9, breach: "value 9 > 1" },
            }
          : { polls: 1, outOfBoundsPolls: 0, noDataPolls: 0 },
    },
    recovery: x.recovered ? { inBandPolls: 3, recoveredAt: 20 } : { inBandPolls: 0, gaveUpAt: 30 },
    ...(x.recovered
      ? {}
      : {
          recoveryTally: {
            p: {
              polls: 1,
              outOfBoundsPolls: 1,
              noDataPolls: 0,
              lastOutOfBounds: { at: 30, value: 9, breach: "value 9 > 1" },
            },
          },
        }),
  }));
  const state = {
    plan: { guardrails: { consecutiveBreachingPolls: 2 }, hypothesis: { probes: [{ id: "p" }] } },
    timing: { pollSeconds: 30, recoverySeconds: 600, recoveredAfterPolls: 3 },
    run: { actionsMode: s.preview ? "skip-all" : "run-all" },
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
        actions: ACTIONS[s.actions],
      }) as ExperimentView,
  );
  return [state, experiments];
}

describe("verdict precedence", () => {
  it("is error, not steady, preview, nothing injected, broken hypothesis, FIS failure, interruption, pass", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { verdict } = decideVerdict(...build(s));
        const hypothesisBroken = s.stages.some((x) => x.stopReason === "guardrail" || !x.recovered);
        const stoppedByUs = s.stages.every((x) => x.stopReason);
        const interruption =
          s.experimentStatus === "failed"
            ? "ERROR"
            : s.experimentStatus === "cancelled" || (s.experimentStatus === "stopped" && !stoppedByUs)
              ? "ABORTED"
              : null;
        const expected = s.failure
          ? "ERROR"
          : !s.steady
            ? "ABORTED"
            : s.preview
              ? "INCONCLUSIVE"
              : !injects(s)
                ? (interruption ?? "INCONCLUSIVE")
                : hypothesisBroken
                  ? "FAILED"
                  : (interruption ?? (s.actions === "mixed-unsimulated" ? "INCONCLUSIVE" : "PASSED"));
        expect(verdict).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("names the fault actions that ran and those that did not whenever only part of the fault was injected", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { verdict, reason } = decideVerdict(...build(s));
        const judged = s.actions.startsWith("mixed") && s.steady && !s.failure && !s.preview && verdict !== "ERROR";
        if (judged)
          expect(reason).toContain(
            `Only part of the fault was injected: kill (aws:ecs:stop-task) ran; load (aws:ssm:send-command) skipped: ${s.actions === "mixed" ? "Not modeled" : NOT_SIMULATED_REASON}`,
          );
        else expect(reason).not.toContain("Only part of the fault");
      }),
      { numRuns: 300 },
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
