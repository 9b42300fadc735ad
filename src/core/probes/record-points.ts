import type { GameDayState } from "../gameday/state";
import type { MathProbe, MetricProbe, TraceProbe } from "../plan/schema";
import type { MetricSeries, TimedStatistics, TimeWindow } from "../ports";
import { TRACE_PERIOD_SECONDS } from "../traces/report";
import type { RecordPoint } from "../verdict/fault-record";
import { boundBreaches, type ResolvedBounds } from "./bounds";
import { boundsOf, probeWindow, publicationOf, traceBreaches, traceMeasures, tracePrimaryValue, within } from "./read";

/** Every published datapoint of a probe's judged value over a span, with its breaches: what its record is made of. */
export interface JudgedPoints {
  periodSeconds: number;
  points: RecordPoint[];
  /** Periods ending after this were not published when the span was read. */
  publishedUntil: number;
}

/**
 * A metric or math probe's judged points from one GetMetricData read over `span`: only the periods CloudWatch has
 * published by then (past them a count would read FILL's zero, not data), judged against the resolved bounds.
 */
export function metricJudgedPoints(
  probe: MetricProbe | MathProbe,
  state: GameDayState,
  series: MetricSeries | undefined,
  span: TimeWindow,
): JudgedPoints & { series: MetricSeries; resolvedBounds: ResolvedBounds } {
  const { periodSeconds } = publicationOf(probe);
  const published = { start: span.start - periodSeconds * 1000, end: probeWindow(probe, span).end };
  const s = within(series, published, periodSeconds);
  const resolvedBounds = boundsOf(probe, state.journal.baseline?.references);
  return {
    periodSeconds,
    points: s.timestamps.map((at, i) => ({
      at,
      value: s.values[i]!,
      breaches: boundBreaches(s.values[i]!, resolvedBounds),
    })),
    publishedUntil: published.end,
    series: s,
    resolvedBounds,
  };
}

/**
 * A service trace probe's judged points from X-Ray's per-period statistics of its service: every bound the probe
 * declares, judged on each period as its polls judge them; periods without requests say nothing.
 */
export function traceJudgedPoints(
  probe: TraceProbe,
  series: readonly TimedStatistics[],
  span: TimeWindow,
): JudgedPoints {
  return {
    periodSeconds: TRACE_PERIOD_SECONDS,
    points: series.flatMap((p) => {
      const measures = traceMeasures(probe, p.statistics);
      const value = tracePrimaryValue(probe, measures);
      return value === null || !measures.requests
        ? []
        : [{ at: p.timestamp, value, breaches: traceBreaches(probe, measures) }];
    }),
    publishedUntil: probeWindow(probe, span).end,
  };
}
