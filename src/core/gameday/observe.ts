import type { Clock, ExperimentControl, ExperimentView } from "../ports";
import { isTerminal } from "../ports";
import { readBaseline, readProbes, type ProbeReading, type ProbeSources } from "../probes/read";
import { recoveryShownByRecord } from "./record-recovery";
import type { GameDayState, ProbeTally, ReadingSample, StageRecord } from "./state";

/** What the probe-reading steps need. */
export interface ObservePorts extends ProbeSources {
  clock: Clock;
}

/** What watching a live fault needs: the probes and each experiment's state. */
export interface FaultWatchPorts extends ObservePorts {
  experiments: Pick<ExperimentControl, "get">;
}

/** Looks back over the baseline window: injecting into a system that is already unwell proves nothing. */
export async function checkSteadyState(state: GameDayState, ports: ObservePorts): Promise<GameDayState> {
  const now = ports.clock.now();
  const window = { start: now - state.timing.baselineSeconds * 1000, end: now };
  const { readings, references } = await readBaseline(state.plan.hypothesis.probes, ports, window);
  const steady = readings.every((r) => !r.breached);
  return {
    ...state,
    journal: { ...state.journal, baseline: { window, steady, readings, references }, lastReadings: readings },
    decision: { next: steady ? "steady" : "not-steady" },
  };
}

function currentStage(state: GameDayState, now: number): StageRecord {
  const existing = state.journal.stages.find((s) => s.index === state.stage.index);
  if (existing) return existing;
  const started = state.stage.started ?? [];
  const quotaWaitMinutes = Math.max(0, ...started.map((s) => s.minutesWaitedForQuota ?? 0));
  return {
    ...(quotaWaitMinutes ? { quotaWaitMinutes } : {}),
    index: state.stage.index,
    name: state.stage.name,
    experiments: started.map((s, i) => ({
      name: state.stage.experiments[i]?.name ?? s.templateId,
      experimentId: s.experimentId,
      templateId: s.templateId,
    })),
    // The first poll comes one interval after the experiments started (unless FIS says when they did).
    faultStartedAt: now - state.timing.pollSeconds * 1000,
    consecutiveBreaches: {},
    firstBreachAt: {},
    polls: 0,
  };
}

function withStage(state: GameDayState, record: StageRecord): GameDayState["journal"] {
  const others = state.journal.stages.filter((s) => s.index !== record.index);
  return { ...state.journal, stages: [...others, record].sort((a, b) => a.index - b.index) };
}

/** One poll while the fault is live: read the probes and the experiments, then decide. */
export async function observeFault(state: GameDayState, ports: FaultWatchPorts): Promise<GameDayState> {
  const now = ports.clock.now();
  const stage = structuredClone(currentStage(state, now));
  const window = { start: now - state.timing.pollSeconds * 1000, end: now };
  const [readings, experiments] = await Promise.all([
    readProbes(state.plan.hypothesis.probes, ports, window, state.journal.baseline?.references),
    Promise.all(stage.experiments.map((e) => ports.experiments.get(e.experimentId))),
  ]);
  // The fault began when FIS started the experiments, however late the first poll came.
  if (stage.polls === 0) stage.faultStartedAt = earliestStart(experiments) ?? stage.faultStartedAt;
  stage.polls += 1;
  // Every reading of a poll taken while an experiment was live counts for the fault, including the poll that finds
  // the experiments ended: its window covers the fault, and a fault shorter than a poll shows only there. Readings
  // of data from before the fault (CloudWatch publishes late) describe the steady state, not the fault.
  const beforeTheFault = (r: ProbeReading) =>
    r.describesUntil !== undefined && r.describesUntil <= stage.faultStartedAt;
  stage.faultTally = tallyReadings(
    stage.faultTally,
    readings.filter((r) => !beforeTheFault(r)),
    now,
  );
  for (const reading of readings) {
    // A probe that ignores missing data keeps its streak; any other reading without a breach ends it.
    if (reading.value === null && reading.missingData === "ignore") continue;
    stage.consecutiveBreaches[reading.probeId] = reading.breached
      ? (stage.consecutiveBreaches[reading.probeId] ?? 0) + 1
      : 0;
    if (reading.breached && stage.firstBreachAt[reading.probeId] === undefined)
      stage.firstBreachAt[reading.probeId] = now;
  }
  const journal = (s: StageRecord) => ({
    ...withStage(state, s),
    polls: state.journal.polls + 1,
    lastReadings: readings,
  });

  const running = experiments.filter((e) => !isTerminal(e.status));
  if (running.length === 0) {
    stage.faultEndedAt = latestEnd(experiments) ?? now;
    // Probes still in band when the fault ends: the recovery clock starts at zero, not at the next poll.
    const inBand = readings.every((r) => !r.breached);
    stage.recovery = inBand ? { inBandPolls: 0, streakStartedAt: stage.faultEndedAt } : { inBandPolls: 0 };
    return { ...state, journal: journal(stage), decision: { next: "watch-recovery" } };
  }
  if (!stage.stopRequested) {
    const limit = state.plan.guardrails.consecutiveBreachingPolls;
    const broken = Object.entries(stage.consecutiveBreaches)
      .filter(([, n]) => n >= limit)
      .map(([id]) => id);
    const overdue = now - stage.faultStartedAt >= state.timing.maxFaultSeconds * 1000;
    if (broken.length || overdue) {
      stage.stopRequested = { at: now, reason: broken.length ? "guardrail" : "max-fault-duration", probeIds: broken };
      const stop = running.filter((e) => e.status !== "stopping").map((e) => ({ experimentId: e.id }));
      return { ...state, journal: journal(stage), decision: { next: "stop-experiments", stop } };
    }
  } else {
    // A stop that did not take (a lost request, a ConflictException while FIS was still initiating) is sent
    // again at every poll until FIS reports the experiment stopping.
    const unstopped = running.filter((e) => e.status !== "stopping").map((e) => ({ experimentId: e.id }));
    if (unstopped.length)
      return { ...state, journal: journal(stage), decision: { next: "stop-experiments", stop: unstopped } };
  }
  return { ...state, journal: journal(stage), decision: { next: "keep-watching" } };
}

/** Adds one poll's readings to a phase's tally. */
export function tallyReadings(
  tally: Record<string, ProbeTally> | undefined,
  readings: readonly ProbeReading[],
  at: number,
): Record<string, ProbeTally> {
  const next: Record<string, ProbeTally> = structuredClone(tally ?? {});
  for (const reading of readings) {
    const t = (next[reading.probeId] ??= { polls: 0, outOfBoundsPolls: 0, noDataPolls: 0 });
    t.polls += 1;
    // No datapoint treated as not breaching is an in-band reading: the probe's owner said silence is good news.
    if (reading.value === null && reading.missingData !== "notBreaching") t.noDataPolls += 1;
    if (!reading.breached) continue;
    const sample: ReadingSample = { at, value: reading.value, breach: reading.breaches.join("; ") };
    t.outOfBoundsPolls += 1;
    t.firstOutOfBounds ??= sample;
    t.lastOutOfBounds = sample;
  }
  return next;
}

function earliestStart(experiments: ExperimentView[]): number | undefined {
  const starts = experiments.map((e) => (e.startTime ? Date.parse(e.startTime) : NaN)).filter((t) => !Number.isNaN(t));
  return starts.length ? Math.min(...starts) : undefined;
}

function latestEnd(experiments: ExperimentView[]): number | undefined {
  const ends = experiments.map((e) => (e.endTime ? Date.parse(e.endTime) : NaN)).filter((t) => !Number.isNaN(t));
  return ends.length ? Math.max(...ends) : undefined;
}

/** One poll after the fault ended: has every probe been back in band for enough polls? */
export async function observeRecovery(state: GameDayState, ports: ObservePorts): Promise<GameDayState> {
  const now = ports.clock.now();
  const stage = structuredClone(state.journal.stages.find((s) => s.index === state.stage.index));
  if (!stage || stage.faultEndedAt === undefined) throw new Error(`stage ${state.stage.index} has no fault record`);
  const window = { start: now - state.timing.pollSeconds * 1000, end: now };
  const readings = await readProbes(state.plan.hypothesis.probes, ports, window, state.journal.baseline?.references);
  // A reading whose data overlaps the time the fault was live is judged as the fault's, however late it arrived: a
  // failover over within seconds shows only in the minute's datapoint CloudWatch delivers after it. Data from before
  // the fault (a slow metric still catching up) is neither.
  const faultEndedAt = stage.faultEndedAt;
  const when = (r: ProbeReading): "before" | "fault" | "after" =>
    r.describesFrom === undefined || r.describesFrom >= faultEndedAt
      ? "after"
      : r.describesUntil !== undefined && r.describesUntil <= stage.faultStartedAt
        ? "before"
        : "fault";
  const aboutTheFault = readings.filter((r) => when(r) === "fault");
  stage.faultTally = tallyReadings(stage.faultTally, aboutTheFault, now);
  for (const reading of aboutTheFault)
    if (reading.breached && stage.firstBreachAt[reading.probeId] === undefined)
      stage.firstBreachAt[reading.probeId] = now;
  const afterTheFault = readings.filter((r) => when(r) === "after");
  stage.recoveryTally = tallyReadings(stage.recoveryTally, afterTheFault, now);
  const recovery = (stage.recovery ??= { inBandPolls: 0 });
  // Recovery is shown only by data from after the fault: a breach anywhere, or a probe with no data to show
  // (missing), restarts the streak; a poll whose readings still describe earlier times neither adds nor restarts.
  const blind = afterTheFault.some((r) => r.value === null && r.missingData === "missing");
  if (readings.some((r) => r.breached) || blind) {
    recovery.inBandPolls = 0;
    delete recovery.streakStartedAt;
  } else if (afterTheFault.length === readings.length) {
    recovery.inBandPolls += 1;
    recovery.streakStartedAt ??= now;
  }
  const journal = { ...withStage(state, stage), polls: state.journal.polls + 1, lastReadings: readings };
  if (recovery.inBandPolls >= state.timing.recoveredAfterPolls) {
    recovery.recoveredAt = recovery.streakStartedAt;
  } else if (now - stage.faultEndedAt >= state.timing.recoverySeconds * 1000) {
    // Before giving up, the record of the window: the polls decide how long to watch, the data whether it came back.
    const shown = await recoveryShownByRecord(state, stage, ports, now);
    if (shown !== undefined) {
      recovery.recoveredAt = shown;
      recovery.shownByRecord = true;
    } else recovery.gaveUpAt = now;
  } else {
    return { ...state, journal, decision: { next: "keep-recovering" } };
  }
  return advanceStage({ ...state, journal });
}

function advanceStage(state: GameDayState): GameDayState {
  const next = state.stages[state.stage.index + 1];
  const stage = state.journal.stages.find((s) => s.index === state.stage.index)!;
  const hypothesisBroken = stage.stopRequested?.reason === "guardrail" || stage.recovery?.recoveredAt === undefined;
  if (!next) return { ...state, decision: { next: "report" } };
  if (hypothesisBroken) {
    const skipped = state.stages.slice(state.stage.index + 1).map((s) => s.name);
    return { ...state, journal: { ...state.journal, skippedStages: skipped }, decision: { next: "report" } };
  }
  return { ...state, stage: next, decision: { next: "next-stage" } };
}
