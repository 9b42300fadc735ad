import { median, medianAbsoluteDeviation } from "simple-statistics";
import type { AlarmProbe, Probe, TraceProbe } from "../plan/schema";
import type { MetricQuery, MetricSeries, MetricSource, RequestStatistics, TimeWindow, TraceSource } from "../ports";
import { histogramPercentile, ratio } from "../statistics/summary";
import {
  boundBreaches,
  MIN_BASELINE_POINTS,
  needsBaseline,
  resolveBounds,
  type BaselineReference,
  type ResolvedBounds,
} from "./bounds";
import { formatMathExpression, parseMathExpression } from "./math";

/** One probe's state at one poll. */
export interface ProbeReading {
  probeId: string;
  /** The value compared with the bounds; for trace probes, keyed measures are in `measures`. */
  value: number | null;
  measures?: Record<string, number | null>;
  breached: boolean;
  /** Why it breached, in words (empty when in band). */
  breaches: string[];
  /**
   * Epoch milliseconds where the data behind the value begins: the period start of a metric's datapoint, the start
   * of a trace window. CloudWatch delivers a period's datapoint after the period, so a poll after the fault can
   * still be reading the fault. Absent for alarm states, which are the state now.
   */
  describesFrom?: number;
}

export interface ProbeSources {
  metrics: MetricSource;
  traces: TraceSource;
}

const subQueryId = (probeId: string, metricId: string) => `${probeId}_${metricId}`;

/** GetMetricData queries for every metric and math probe, so one poll costs one call for up to 500 queries. */
export function metricQueries(probes: readonly Probe[]): MetricQuery[] {
  return probes.flatMap((probe): MetricQuery[] => {
    if (probe.type === "metric") return [{ id: probe.id, metric: probe.metric, returnData: true }];
    if (probe.type === "math") {
      const periods = Object.values(probe.metrics).map((m) => m.periodSeconds);
      return [
        ...Object.entries(probe.metrics).map(([id, metric]): MetricQuery => ({
          id: subQueryId(probe.id, id),
          metric,
          returnData: false,
        })),
        {
          id: probe.id,
          expression: formatMathExpression(parseMathExpression(probe.expression), (id) => subQueryId(probe.id, id)),
          periodSeconds: Math.max(...periods),
          returnData: true,
        },
      ];
    }
    return [];
  });
}

/** GetMetricData id of one of a metric probe's further statistics (ids allow letters, digits and _ only). */
export const reportStatisticId = (probeId: string, statistic: string) => `${probeId}_${statistic.replace(".", "_")}`;

/** Queries for the further statistics metric probes chart in the report; polls never read them. */
export function reportStatisticQueries(probes: readonly Probe[]): MetricQuery[] {
  return probes.flatMap((probe): MetricQuery[] =>
    probe.type === "metric"
      ? (probe.reportStatistics ?? []).map((statistic) => ({
          id: reportStatisticId(probe.id, statistic),
          metric: { ...probe.metric, statistic },
          returnData: true,
        }))
      : [],
  );
}

/** The bounds a metric or math probe is held to, once the baseline is known. */
export const boundsOf = (
  probe: Exclude<Probe, TraceProbe | AlarmProbe>,
  references: Record<string, BaselineReference> | undefined,
): ResolvedBounds => resolveBounds(probe.bounds, references?.[probe.id]);

export function traceMeasures(probe: TraceProbe, stats: RequestStatistics): Record<string, number | null> {
  return {
    requests: stats.requests,
    faultRate: ratio(stats.faults, stats.requests),
    errorRate: ratio(stats.errors, stats.requests),
    latencyMilliseconds: histogramPercentile(stats.latency, probe.latency?.percentile ?? 99),
  };
}

/** The one measure a trace probe is charted and compared by: the first bound it declares. */
export function tracePrimaryValue(probe: TraceProbe, measures: Record<string, number | null>): number | null {
  const key =
    probe.maxFaultRate !== undefined
      ? "faultRate"
      : probe.maxErrorRate !== undefined
        ? "errorRate"
        : "latencyMilliseconds";
  return measures[key] ?? null;
}

export function traceBreaches(probe: TraceProbe, measures: Record<string, number | null>): string[] {
  const out: string[] = [];
  if (!measures.requests) return ["no traced requests"];
  if (probe.maxFaultRate !== undefined)
    out.push(...boundBreaches(measures.faultRate ?? null, { max: probe.maxFaultRate }, "fault rate"));
  if (probe.maxErrorRate !== undefined)
    out.push(...boundBreaches(measures.errorRate ?? null, { max: probe.maxErrorRate }, "error rate"));
  if (probe.latency) {
    const label = `p${probe.latency.percentile} latency ms`;
    out.push(...boundBreaches(measures.latencyMilliseconds ?? null, { max: probe.latency.maxMilliseconds }, label));
  }
  return out;
}

/** Reads every probe over one window, with one metric call and at most one trace call per filter expression. */
export async function readProbes(
  probes: readonly Probe[],
  sources: ProbeSources,
  window: TimeWindow,
  references?: Record<string, BaselineReference>,
): Promise<ProbeReading[]> {
  return (await readWindow(probes, sources, window, references)).readings;
}

/**
 * Reads the baseline window: the readings of the steady-state check, and the median and noise of each probe with
 * relative bounds, which every later poll is measured against.
 */
export async function readBaseline(
  probes: readonly Probe[],
  sources: ProbeSources,
  window: TimeWindow,
): Promise<{ readings: ProbeReading[]; references: Record<string, BaselineReference> }> {
  const { readings, series } = await readWindow(probes, sources, window, undefined);
  const references: Record<string, BaselineReference> = {};
  for (const probe of probes) {
    if (probe.type === "trace" || probe.type === "alarm" || !needsBaseline(probe.bounds)) continue;
    const values = (series.get(probe.id)?.values ?? []).filter(Number.isFinite);
    if (values.length >= MIN_BASELINE_POINTS) {
      references[probe.id] = { median: median(values), mad: medianAbsoluteDeviation(values), points: values.length };
      continue;
    }
    const reading = readings.find((r) => r.probeId === probe.id)!;
    reading.breaches.push(
      `the baseline has ${values.length} datapoint(s); relative bounds need at least ${MIN_BASELINE_POINTS} (lengthen timing.baseline or shorten the metric's period)`,
    );
    reading.breached = true;
  }
  return { readings, references };
}

async function readWindow(
  probes: readonly Probe[],
  sources: ProbeSources,
  window: TimeWindow,
  references: Record<string, BaselineReference> | undefined,
): Promise<{ readings: ProbeReading[]; series: Map<string, MetricSeries> }> {
  const queries = metricQueries(probes);
  const series = queries.length ? await sources.metrics.query(queries, window) : new Map<string, MetricSeries>();
  const needsServiceGraph = probes.some((p) => p.type === "trace" && p.service !== undefined);
  const services = needsServiceGraph ? (await sources.traces.serviceGraph(window)).services : new Map();
  const alarmNames = probes.flatMap((p) => (p.type === "alarm" ? [p.alarmName] : []));
  const alarms = alarmNames.length ? await sources.metrics.alarmStates(alarmNames) : new Map();
  const readings: ProbeReading[] = [];
  for (const probe of probes) {
    if (probe.type === "alarm") {
      const state = alarms.get(probe.alarmName);
      const breaches =
        state === undefined
          ? [`alarm ${probe.alarmName} does not exist`]
          : probe.breachingStates.includes(state)
            ? [`alarm ${probe.alarmName} is ${state}`]
            : [];
      readings.push({ probeId: probe.id, value: breaches.length ? 1 : 0, breached: breaches.length > 0, breaches });
    } else if (probe.type === "trace") {
      const stats: RequestStatistics | undefined = probe.service
        ? services.get(probe.service)
        : await sources.traces.filteredStatistics(probe.filterExpression!, window);
      const measures = traceMeasures(probe, stats ?? { requests: 0, errors: 0, faults: 0, throttles: 0, latency: [] });
      const breaches = traceBreaches(probe, measures);
      readings.push({
        probeId: probe.id,
        value: tracePrimaryValue(probe, measures),
        measures,
        breached: breaches.length > 0,
        breaches,
        describesFrom: window.start,
      });
    } else {
      const { values = [], timestamps = [] } = series.get(probe.id) ?? {};
      const value = values.length ? values[values.length - 1]! : null;
      const breaches = boundBreaches(value, boundsOf(probe, references));
      const describesFrom = timestamps.length ? timestamps[timestamps.length - 1]! : window.start;
      readings.push({ probeId: probe.id, value, breached: breaches.length > 0, breaches, describesFrom });
    }
  }
  return { readings, series };
}
