import type { MathProbe, MetricProbe, Probe, TraceProbe } from "../plan/schema";
import { metricJudgedPoints, traceJudgedPoints, type JudgedPoints } from "../probes/record-points";
import { metricQueries, missingDataTreatment, type ProbeSources } from "../probes/read";
import { recordRecoveryWindowOf } from "../statistics/phases";
import { processedTracePeriods, TRACE_PERIOD_SECONDS } from "../traces/report";
import { recoveryRecordOf } from "../verdict/fault-record";
import type { GameDayState, StageRecord } from "./state";

type RecordedProbe = MetricProbe | MathProbe | (TraceProbe & { service: string });
const isRecorded = (probe: Probe): probe is RecordedProbe =>
  probe.type === "metric" || probe.type === "math" || (probe.type === "trace" && !!probe.service);

/**
 * When the recovery polls are about to give up, the stage's record is read once: if it shows every probe back in
 * bounds, the stage recovered whatever the polls missed (a Lambda that timed out, a throttled read), and the game day
 * goes on to its next stage as it would have without the glitch. Returns when the slowest probe recovered, or
 * nothing when the record does not show it (or a probe has no record: alarms and filter-expression trace probes
 * are judged on their polls alone).
 */
export async function recoveryShownByRecord(
  state: GameDayState,
  stage: StageRecord,
  sources: ProbeSources,
  now: number,
): Promise<number | undefined> {
  const probes = state.plan.hypothesis.probes;
  const window = recordRecoveryWindowOf(state, stage, now);
  if (!window || !probes.every(isRecorded)) return undefined;
  const span = { start: stage.faultStartedAt, end: now };
  const metricProbes = probes.filter((p): p is MetricProbe | MathProbe => p.type !== "trace");
  const series = metricProbes.length ? await sources.metrics.query(metricQueries(metricProbes), span) : new Map();
  const traceSpan = processedTracePeriods(span);

  let recoveredAt = window.start;
  for (const probe of probes) {
    let judged: JudgedPoints;
    if (probe.type === "trace") {
      const stats =
        traceSpan.end > traceSpan.start
          ? await sources.traces.entityTimeSeries({ service: probe.service }, traceSpan, TRACE_PERIOD_SECONDS)
          : [];
      judged = traceJudgedPoints(probe, stats, span);
    } else judged = metricJudgedPoints(probe, state, series.get(probe.id), span);
    const record = recoveryRecordOf({
      ...judged,
      window,
      missingData: missingDataTreatment(probe),
      streakSeconds: state.timing.recoveredAfterPolls * state.timing.pollSeconds,
    });
    if (record.recoveredAt === undefined) return undefined;
    recoveredAt = Math.max(recoveredAt, record.recoveredAt);
  }
  return recoveredAt;
}
