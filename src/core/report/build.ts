import { STAGE_TAG, type GameDayState } from "../gameday/state";
import type { Probe } from "../plan/schema";
import type { ExperimentView, RequestStatistics, TimeWindow } from "../ports";
import { metricQueries, traceMeasures, tracePrimaryValue, type ProbeSources } from "../probes/read";
import { summarize } from "../statistics/summary";
import { decideVerdict } from "../verdict/verdict";
import type { Phase, Report, ReportExperiment, ReportProbe } from "./model";

const iso = (ms: number) => new Date(ms).toISOString();

/** Phase windows of the whole game day: one baseline, then a fault and a recovery window per stage. */
export function phaseWindows(state: GameDayState, now: number): Record<Phase, TimeWindow[]> {
  const poll = state.timing.pollSeconds * 1000;
  return {
    baseline: state.journal.baseline ? [state.journal.baseline.window] : [],
    fault: state.journal.stages.map((s) => ({ start: s.faultStartedAt, end: s.faultEndedAt ?? now })),
    recovery: state.journal.stages
      .filter((s) => s.faultEndedAt !== undefined)
      .map((s) => ({
        start: s.faultEndedAt!,
        end:
          s.recovery?.recoveredAt !== undefined
            ? s.recovery.recoveredAt + state.timing.recoveredAfterPolls * poll
            : (s.recovery?.gaveUpAt ?? now),
      })),
  };
}

const inAny = (t: number, windows: TimeWindow[]) => windows.some((w) => t >= w.start && t < w.end);

/** Builds the report from the journal, the final experiment states, and one re-read of each probe per phase. */
export async function buildReport(
  state: GameDayState,
  tagged: readonly ExperimentView[],
  sources: ProbeSources & { experiments: { get(id: string): Promise<ExperimentView> } },
  now: number,
): Promise<Report> {
  const byId = new Map(tagged.map((e) => [e.id, e]));
  for (const stage of state.journal.stages) {
    for (const e of stage.experiments) {
      if (!byId.has(e.experimentId)) byId.set(e.experimentId, await sources.experiments.get(e.experimentId));
    }
  }
  const experiments = [...byId.values()];
  const { verdict, reason } = decideVerdict(state, experiments);
  const windows = phaseWindows(state, now);
  const probes = await summarizeProbes(state, sources, windows, now);
  const recoveries = state.journal.stages.map((s) =>
    s.recovery?.recoveredAt !== undefined && s.faultEndedAt !== undefined
      ? Math.max(0, (s.recovery.recoveredAt - s.faultEndedAt) / 1000)
      : null,
  );
  return {
    schemaVersion: 1,
    plan: { name: state.plan.name, description: state.plan.description },
    execution: {
      name: state.run.executionName,
      startedAt: iso(state.run.startedAt),
      endedAt: iso(now),
      actionsMode: state.run.actionsMode,
    },
    verdict,
    reason,
    recovery: recoveries.length && recoveries.every((r) => r !== null) ? Math.max(...(recoveries as number[])) : null,
    experiments: experiments.map((e) => reportExperiment(state, e)),
    probes,
    stages: state.journal.stages.map((s, i) => ({
      name: s.name,
      faultStartedAt: iso(s.faultStartedAt),
      faultEndedAt: s.faultEndedAt === undefined ? null : iso(s.faultEndedAt),
      stoppedBy: s.stopRequested?.reason ?? null,
      guardrailProbes: s.stopRequested?.probeIds ?? [],
      recoverySeconds: recoveries[i] ?? null,
      polls: s.polls,
    })),
    skippedStages: state.journal.skippedStages,
    ...(state.cleanup ? { cleanup: { stopped: state.cleanup.stopped, pending: state.cleanup.pending } } : {}),
  };
}

function reportExperiment(state: GameDayState, e: ExperimentView): ReportExperiment {
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
    actions: e.actions.map((a) => ({ ...a })),
  };
}

async function summarizeProbes(
  state: GameDayState,
  sources: ProbeSources,
  windows: Record<Phase, TimeWindow[]>,
  now: number,
): Promise<ReportProbe[]> {
  const probes = state.plan.hypothesis.probes;
  const start = state.journal.baseline?.window.start ?? state.run.startedAt;
  const queries = metricQueries(probes);
  // One GetMetricData read over the whole game day, split by phase afterwards.
  const series = queries.length ? await sources.metrics.query(queries, { start, end: now }) : new Map();
  const phases: Phase[] = ["baseline", "fault", "recovery"];
  const out: ReportProbe[] = [];
  for (const probe of probes) {
    const summaries = {} as ReportProbe["phases"];
    if (probe.type === "trace") {
      for (const phase of phases) {
        const values = [];
        for (const window of windows[phase]) {
          const stats: RequestStatistics | undefined = probe.service
            ? (await sources.traces.serviceStatistics(window)).get(probe.service)
            : await sources.traces.filteredStatistics(probe.filterExpression!, window);
          const value = stats ? tracePrimaryValue(probe, traceMeasures(probe, stats)) : null;
          if (value !== null) values.push(value);
        }
        summaries[phase] = summarize(values);
      }
    } else {
      const s = series.get(probe.id);
      for (const phase of phases) {
        const values = s ? s.values.filter((_: number, i: number) => inAny(s.timestamps[i], windows[phase])) : [];
        summaries[phase] = summarize(values);
      }
    }
    out.push({
      id: probe.id,
      type: probe.type,
      ...(probe.description ? { description: probe.description } : {}),
      bounds: probeBounds(probe),
      phases: summaries,
      timeToDetect: state.journal.stages.map((stage) => {
        const at = stage.firstBreachAt[probe.id];
        return at === undefined ? null : Math.max(0, (at - stage.faultStartedAt) / 1000);
      }),
    });
  }
  return out;
}

function probeBounds(probe: Probe): ReportProbe["bounds"] {
  if (probe.type !== "trace") return probe.bounds;
  const bounds: Record<string, number> = {};
  if (probe.maxFaultRate !== undefined) bounds.maxFaultRate = probe.maxFaultRate;
  if (probe.maxErrorRate !== undefined) bounds.maxErrorRate = probe.maxErrorRate;
  if (probe.latency) bounds[`p${probe.latency.percentile}MaxMilliseconds`] = probe.latency.maxMilliseconds;
  return bounds;
}
