import { resourcesActedOn } from "../gameday/acted-on";
import type { ExperimentControl } from "../ports";
import { STAGE_TAG, type GameDayState, type StageRecord } from "../gameday/state";
import type { AlarmProbe, MathProbe, MetricProbe, Probe, TraceProbe } from "../plan/schema";
import type { ExperimentView, MetricSeries, RequestStatistics, TimedStatistics, TimeWindow } from "../ports";
import { ALARM_SAMPLE_SECONDS, sampleAlarmStates } from "../probes/alarms";
import { inBand, type ResolvedBounds } from "../probes/bounds";
import {
  metricQueries,
  reportStatisticId,
  reportStatisticQueries,
  traceMeasures,
  tracePrimaryValue,
  missingDataTreatment,
  type ProbeSources,
} from "../probes/read";
import {
  PHASES,
  phaseWindows,
  recordRecoveryWindowOf,
  splitByPhase,
  timeToRecover,
  type Phase,
} from "../statistics/phases";
import { summarize } from "../statistics/summary";
import { buildTraceReport, TRACE_PERIOD_SECONDS } from "../traces/report";
import { approvalFinding, decideVerdict } from "../verdict/verdict";
import { gameDayCost } from "../cost/game-day-cost";
import { faultRecordOf, recoveryRecordOf, type FaultRecords } from "../verdict/fault-record";
import { newReport } from "./construct";
import { metricJudgedPoints, traceJudgedPoints, type JudgedPoints } from "../probes/record-points";
import type { ProbeTimeline, Report, ReportExperiment, ReportProbe } from "./model";

export { phaseWindows };

const iso = (ms: number) => new Date(ms).toISOString();

/** A chart needs no more points than this; longer game days are thinned evenly (the report must stay small). */
export const MAX_TIMELINE_POINTS = 720;
/** A flapping alarm's changes are listed up to this many in the report; its chart still shows them all. */
export const MAX_ALARM_CHANGES = 50;
/** Attempts at the report's X-Ray read (each call already retried by the SDK). */
const TRACE_READ_ATTEMPTS = 3;

/** Builds the report from the journal, the final experiment states, and one re-read of each probe per phase. */
export async function buildReport(
  state: GameDayState,
  tagged: readonly ExperimentView[],
  sources: ProbeSources & { experiments: Pick<ExperimentControl, "get" | "resolvedTargets"> },
  now: number,
): Promise<Report> {
  const byId = new Map(tagged.map((e) => [e.id, e]));
  for (const stage of state.journal.stages) {
    for (const e of stage.experiments) {
      if (!byId.has(e.experimentId)) byId.set(e.experimentId, await sources.experiments.get(e.experimentId));
    }
  }
  const experiments = [...byId.values()];
  // What each experiment acted on, as FIS resolved its targets: read once, for every output to name.
  const resolved = new Map<string, Record<string, string[]>>();
  for (const e of experiments) resolved.set(e.id, await sources.experiments.resolvedTargets(e.id));
  const windows = phaseWindows(state, now);
  const span = { start: state.journal.baseline?.window.start ?? state.run.startedAt, end: now };
  // Traces enrich the report; a game day whose X-Ray reads fail still gets its verdict and its metrics. Read up to
  // three times: the trace probes' fault records come from this read, and without it they fall back to their polls.
  let traces: Awaited<ReturnType<typeof buildTraceReport>> | undefined;
  for (let attempt = 1; state.journal.baseline && !traces && attempt <= TRACE_READ_ATTEMPTS; attempt++)
    traces = await buildTraceReport(sources.traces, windows, span).catch(() => undefined);
  const { probes, records } = await summarizeProbes(state, sources, windows, span, traces?.serviceSeries, now);
  // The hypothesis is judged on the complete record read just now, not on whichever polls got through.
  const decided = decideVerdict(state, experiments, records);
  const { verdict, reason } = decided;
  // Who gave the go: shown with the findings, never deciding the verdict.
  const approved = approvalFinding(state);
  const findings = approved ? [approved, ...decided.findings] : decided.findings;
  const recoveries = state.journal.stages.map((s) => stageRecoverySeconds(state, s, records[s.index] ?? {}));
  return newReport({
    plan: {
      name: state.plan.name,
      description: state.plan.description,
      ...(state.run.inlinePlan ? { inline: true as const } : {}),
    },
    execution: {
      name: state.run.executionName,
      startedAt: iso(state.run.startedAt),
      endedAt: iso(now),
      actionsMode: state.run.actionsMode,
    },
    verdict,
    reason,
    findings,
    // Only a game day that tested its hypothesis measured a recovery.
    recovery:
      (verdict === "PASSED" || verdict === "FAILED") && recoveries.length && recoveries.every((r) => r !== null)
        ? (recoveries as number[]).reduce((a, b) => Math.max(a, b))
        : null,
    ...slowestRecovery(state, probes),
    cost: gameDayCost(state, experiments),
    experiments: experiments.map((e) => reportExperiment(state, e, resolved.get(e.id) ?? {})),
    probes,
    stages: state.journal.stages.map((s, i) => ({
      name: s.name,
      faultStartedAt: iso(s.faultStartedAt),
      faultEndedAt: s.faultEndedAt === undefined ? null : iso(s.faultEndedAt),
      stoppedBy: s.stopRequested?.reason ?? null,
      ...(s.quotaWaitMinutes ? { quotaWaitMinutes: s.quotaWaitMinutes } : {}),
      guardrailProbes: s.stopRequested?.probeIds ?? [],
      recoverySeconds: recoveries[i] ?? null,
      polls: s.polls,
    })),
    phaseWindows: Object.fromEntries(
      PHASES.map((phase) => [phase, windows[phase].map((w) => ({ start: iso(w.start), end: iso(w.end) }))]),
    ) as Report["phaseWindows"],
    skippedStages: state.journal.skippedStages,
    ...(traces ? { traces: traces.report } : {}),
    ...(state.cleanup ? { cleanup: { stopped: state.cleanup.stopped, pending: state.cleanup.pending } } : {}),
    ...(state.muted ? { alarmMute: state.muted } : {}),
  });
}

const recoveredSeconds = (faultEndedAt: number, recoveredAt: number | undefined) =>
  recoveredAt === undefined ? null : Math.max(0, (recoveredAt - faultEndedAt) / 1000);

/**
 * How long a stage took to recover: from the complete record when every probe has one (the slowest probe's
 * recovery, none if any never recovered), as the verdict judges it; otherwise from the polls' streak.
 */
function stageRecoverySeconds(state: GameDayState, stage: StageRecord, records: FaultRecords[number]): number | null {
  if (stage.faultEndedAt === undefined) return null;
  const recoveries = state.plan.hypothesis.probes.map((p) => records[p.id]?.recovery);
  if (recoveries.length && recoveries.every((r) => r !== undefined)) {
    const seconds = recoveries.map((r) => recoveredSeconds(stage.faultEndedAt!, r.recoveredAt));
    return seconds.some((s) => s === null) ? null : Math.max(...(seconds as number[]));
  }
  return recoveredSeconds(stage.faultEndedAt, stage.recovery?.recoveredAt);
}

function reportExperiment(
  state: GameDayState,
  e: ExperimentView,
  resolved: Record<string, string[]>,
): ReportExperiment {
  const stage = state.journal.stages.find((s) => s.experiments.some((x) => x.experimentId === e.id));
  const named = stage?.experiments.find((x) => x.experimentId === e.id);
  return {
    stage: stage?.name ?? e.tags[STAGE_TAG] ?? "unknown",
    name: named?.name ?? e.templateId,
    templateId: e.templateId,
    experimentId: e.id,
    status: e.status,
    ...(e.reason ? { reason: e.reason } : {}),
    ...(e.startTime ? { startTime: e.startTime } : {}),
    ...(e.endTime ? { endTime: e.endTime } : {}),
    actions: e.actions.map(({ targets, ...a }) => ({
      ...a,
      resources: resourcesActedOn(targets, resolved),
    })),
  };
}

/** The probe whose datapoints took longest to settle after a fault; a probe that never settled is the slowest. */
function slowestRecovery(state: GameDayState, probes: ReportProbe[]): Pick<Report, "slowestRecovery"> {
  let slowest: Report["slowestRecovery"];
  for (const probe of probes) {
    probe.timeToRecover.forEach((seconds, i) => {
      const stage = state.journal.stages[i]?.name ?? String(i);
      const worse = !slowest || (slowest.seconds !== null && (seconds === null || seconds > slowest.seconds));
      if (worse) slowest = { probeId: probe.id, stage, seconds };
    });
  }
  return slowest ? { slowestRecovery: slowest } : {};
}

function thin(timestamps: number[], values: number[]): { timestamps: number[]; values: number[] } {
  if (timestamps.length <= MAX_TIMELINE_POINTS) return { timestamps, values };
  const step = Math.ceil(timestamps.length / MAX_TIMELINE_POINTS);
  const keep = (_: unknown, i: number) => i % step === 0;
  return { timestamps: timestamps.filter(keep), values: values.filter(keep) };
}

/** What a trace probe is charted and bounded by, as plain bounds on its primary measure. */
function traceBounds(probe: TraceProbe): ResolvedBounds {
  if (probe.maxFaultRate !== undefined) return { max: probe.maxFaultRate };
  if (probe.maxErrorRate !== undefined) return { max: probe.maxErrorRate };
  return probe.latency ? { max: probe.latency.maxMilliseconds } : {};
}

interface ProbeData {
  timeline: ProbeTimeline;
  /**
   * Every published datapoint of the probe's judged value, unthinned, for the fault records the verdict is judged
   * on; absent for probes judged on their polls (alarms, filter-expression traces).
   */
  judged?: JudgedPoints;
  /** Values per phase when the probe has no timeline of its own (filter-expression trace probes). */
  phaseValues?: Record<Phase, number[]>;
  /** An alarm probe's state when the game day began and each change after, as CloudWatch recorded them. */
  alarmChanges?: { at: string; state: string }[];
  /** Per stage, finer reads through the recovery window, for probes whose timeline is per phase. */
  recoverySeries?: ProbeTimeline[];
  isInBand: (value: number) => boolean;
  resolvedBounds: ResolvedBounds;
}

/** What every probe reader gets: the game day, its sources, its phase windows and what was read once for all. */
interface ProbeDataContext {
  state: GameDayState;
  sources: ProbeSources;
  windows: Record<Phase, TimeWindow[]>;
  /** The one GetMetricData read over the whole game day. */
  series: Map<string, MetricSeries>;
  /** X-Ray time series per service, read once for the trace report; undefined when that read failed. */
  serviceSeries: Map<string, TimedStatistics[]> | undefined;
  span: TimeWindow;
}

type ProbeReader<P extends Probe> = (probe: P, context: ProbeDataContext) => Promise<ProbeData>;

/** A probe's data for the report, read as its type is read. */
const probeData = (probe: Probe, context: ProbeDataContext): Promise<ProbeData> =>
  probe.type === "alarm"
    ? alarmData(probe, context)
    : probe.type === "trace"
      ? probe.service
        ? serviceTraceData(probe, context)
        : filteredTraceData(probe, context)
      : metricData(probe, context);

/** CloudWatch keeps each alarm's state changes: charted as 1 while in a breaching state, 0 otherwise. */
const alarmData: ProbeReader<AlarmProbe> = async (probe, { sources, span }) => {
  const resolvedBounds = { max: 0 };
  const changes = await sources.metrics.alarmHistory(probe.alarmName, span);
  const samples = sampleAlarmStates(changes, probe.breachingStates, span);
  return {
    timeline: { periodSeconds: ALARM_SAMPLE_SECONDS, ...thin(samples.timestamps, samples.values) },
    alarmChanges: changes.slice(0, MAX_ALARM_CHANGES).map((c) => ({ at: iso(c.at), state: c.state })),
    isInBand: (v) => inBand(v, resolvedBounds),
    resolvedBounds,
  };
};

const metricData: ProbeReader<MetricProbe | MathProbe> = async (probe, { state, series, span }) => {
  const { series: s, resolvedBounds, ...judged } = metricJudgedPoints(probe, state, series.get(probe.id), span);
  const others: ProbeTimeline["others"] = {};
  if (probe.type === "metric")
    for (const statistic of probe.reportStatistics ?? []) {
      const other = series.get(reportStatisticId(probe.id, statistic));
      if (other) others[statistic] = thin(other.timestamps, other.values);
    }
  return {
    timeline: {
      periodSeconds: judged.periodSeconds,
      ...thin(s.timestamps, s.values),
      ...(Object.keys(others).length ? { others } : {}),
    },
    judged,
    isInBand: (v) => inBand(v, resolvedBounds),
    resolvedBounds,
  };
};

const traceValue = (probe: TraceProbe) => (stats: RequestStatistics) =>
  tracePrimaryValue(probe, traceMeasures(probe, stats));

const serviceTraceData: ProbeReader<TraceProbe> = async (probe, { serviceSeries, span }) => {
  const resolvedBounds = traceBounds(probe);
  const valueOf = traceValue(probe);
  const points = (serviceSeries?.get(probe.service!) ?? []).map((p) => ({ t: p.timestamp, v: valueOf(p.statistics) }));
  const known = points.filter((p): p is { t: number; v: number } => p.v !== null);
  return {
    timeline: {
      periodSeconds: TRACE_PERIOD_SECONDS,
      ...thin(
        known.map((p) => p.t),
        known.map((p) => p.v),
      ),
    },
    // Without the X-Ray read there is no record: the probe is judged on its polls, never on an empty record.
    ...(serviceSeries && { judged: traceJudgedPoints(probe, serviceSeries.get(probe.service!) ?? [], span) }),
    isInBand: (v) => inBand(v, resolvedBounds),
    resolvedBounds,
  };
};

/**
 * Filter expressions have no time series in X-Ray: one sampled read per baseline and fault window, and reads of at
 * most FILTERED_RECOVERY_STEPS steps through each recovery window, so the probe's own recovery can be timed.
 */
const filteredTraceData: ProbeReader<TraceProbe> = async (probe, { sources, windows }) => {
  const resolvedBounds = traceBounds(probe);
  const valueOf = traceValue(probe);
  const points: { t: number; v: number; phase: Phase }[] = [];
  const recoverySeries: ProbeData["recoverySeries"] = [];
  for (const phase of PHASES) {
    for (const window of windows[phase]) {
      const steps = phase === "recovery" ? recoverySteps(window) : { seconds: 0, windows: [window] };
      const stepPoints: { t: number; v: number }[] = [];
      for (const step of steps.windows) {
        const value = valueOf(await sources.traces.filteredStatistics(probe.filterExpression!, step));
        if (value === null) continue;
        points.push({ t: step.start, v: value, phase });
        stepPoints.push({ t: step.start, v: value });
      }
      if (phase === "recovery") {
        recoverySeries.push({
          periodSeconds: steps.seconds,
          timestamps: stepPoints.map((p) => p.t),
          values: stepPoints.map((p) => p.v),
        });
      }
    }
  }
  points.sort((a, b) => a.t - b.t);
  const phaseValues = Object.fromEntries(
    PHASES.map((phase) => [phase, points.filter((p) => p.phase === phase).map((p) => p.v)]),
  ) as Record<Phase, number[]>;
  return {
    timeline: { periodSeconds: 0, timestamps: points.map((p) => p.t), values: points.map((p) => p.v) },
    phaseValues,
    recoverySeries,
    isInBand: (v) => inBand(v, resolvedBounds),
    resolvedBounds,
  };
};

/** At most this many sampled trace reads per recovery window (each up to TRACE_SUMMARY_PAGE_CAP pages). */
export const FILTERED_RECOVERY_STEPS = 30;

/** A recovery window cut into whole-minute steps, at most FILTERED_RECOVERY_STEPS of them. */
export function recoverySteps(window: TimeWindow): { seconds: number; windows: TimeWindow[] } {
  const minutes = Math.max(1, Math.ceil((window.end - window.start) / 60_000 / FILTERED_RECOVERY_STEPS));
  const step = minutes * 60_000;
  const windows: TimeWindow[] = [];
  for (let start = window.start; start < window.end; start += step)
    windows.push({ start, end: Math.min(start + step, window.end) });
  return { seconds: step / 1000, windows };
}

async function summarizeProbes(
  state: GameDayState,
  sources: ProbeSources,
  windows: Record<Phase, TimeWindow[]>,
  span: TimeWindow,
  serviceSeries: Map<string, TimedStatistics[]> | undefined,
  now: number,
): Promise<{ probes: ReportProbe[]; records: FaultRecords }> {
  const records: FaultRecords = {};
  const probes = state.plan.hypothesis.probes;
  const queries = [...metricQueries(probes), ...reportStatisticQueries(probes)];
  // One GetMetricData read over the whole game day, split by phase afterwards.
  const series = queries.length ? await sources.metrics.query(queries, span) : new Map<string, MetricSeries>();
  const out: ReportProbe[] = [];
  for (const probe of probes) {
    const data = await probeData(probe, { state, sources, windows, series, serviceSeries, span });
    if (data.judged && probe.type !== "alarm")
      for (const stage of state.journal.stages) {
        const missingData = missingDataTreatment(probe);
        const recoveryWindow = recordRecoveryWindowOf(state, stage, now);
        (records[stage.index] ??= {})[probe.id] = {
          ...faultRecordOf({
            ...data.judged,
            fault: { start: stage.faultStartedAt, end: stage.faultEndedAt ?? now },
            missingData,
          }),
          ...(recoveryWindow && {
            recovery: recoveryRecordOf({
              ...data.judged,
              window: recoveryWindow,
              missingData,
              streakSeconds: state.timing.recoveredAfterPolls * state.timing.pollSeconds,
            }),
          }),
        };
      }
    const values =
      data.phaseValues ??
      splitByPhase(data.timeline.timestamps, data.timeline.values, windows, data.timeline.periodSeconds);
    const phases = Object.fromEntries(
      PHASES.map((phase) => [phase, summarize(values[phase])]),
    ) as ReportProbe["phases"];
    out.push({
      id: probe.id,
      type: probe.type,
      ...(probe.description ? { description: probe.description } : {}),
      bounds: probeBounds(probe),
      resolvedBounds: data.resolvedBounds,
      phases,
      timeToDetect: state.journal.stages.map((stage) => {
        const at = stage.firstBreachAt[probe.id];
        return at === undefined ? null : Math.max(0, (at - stage.faultStartedAt) / 1000);
      }),
      timeToRecover: state.journal.stages.map((stage, i) => {
        if (stage.faultEndedAt === undefined) return null;
        // A probe with a record recovered when its record says so: the verdict reads the same record.
        const recovery = records[stage.index]?.[probe.id]?.recovery;
        if (recovery) return recoveredSeconds(stage.faultEndedAt, recovery.recoveredAt);
        return timeToRecover(
          data.recoverySeries?.[i] ?? data.timeline,
          stage.faultEndedAt,
          windows.recovery[i]?.end ?? span.end,
          data.isInBand,
          state.timing.recoveredAfterPolls,
        );
      }),
      timeline: data.timeline,
      ...(probe.type === "alarm"
        ? {
            alarm: {
              name: probe.alarmName,
              breachingStates: probe.breachingStates,
              changes: data.alarmChanges ?? [],
            },
          }
        : {}),
    });
  }
  return { probes: out, records };
}
function probeBounds(probe: Probe): ReportProbe["bounds"] {
  if (probe.type === "alarm") return {};
  if (probe.type !== "trace") return probe.bounds;
  const bounds: Record<string, number> = {};
  if (probe.maxFaultRate !== undefined) bounds.maxFaultRate = probe.maxFaultRate;
  if (probe.maxErrorRate !== undefined) bounds.maxErrorRate = probe.maxErrorRate;
  if (probe.latency) bounds[`p${probe.latency.percentile}MaxMilliseconds`] = probe.latency.maxMilliseconds;
  return bounds;
}
