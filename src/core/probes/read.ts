import { median, medianAbsoluteDeviation } from "simple-statistics";
import type { AlarmProbe, MathProbe, MetricProbe, MissingDataTreatment, Probe, TraceProbe } from "../plan/schema";
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
import { fillMetrics, formatMathExpression, parseMathExpression } from "./math";
import {
  TRACE_PROCESSING_DELAY_SECONDS,
  isCountStatistic,
  lastPublishedPeriodEnd,
  publicationDelayOf,
} from "./publication";

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
  /** Epoch milliseconds where that data ends: the datapoint's period end, the trace window's end. */
  describesUntil?: number;
  /** Set when the probe had no data: how the probe treats that (its `treatMissingData`). */
  missingData?: MissingDataTreatment;
}

export interface ProbeSources {
  metrics: MetricSource;
  traces: TraceSource;
}

const subQueryId = (probeId: string, metricId: string) => `${probeId}_${metricId}`;
/** The raw query behind a count metric probe, which the probe reads through FILL(…, 0). */
const countedQueryId = (probeId: string) => `${probeId}_counted`;

/** GetMetricData queries for every metric and math probe, so one poll costs one call for up to 500 queries. */
export function metricQueries(probes: readonly Probe[]): MetricQuery[] {
  return probes.flatMap((probe): MetricQuery[] => {
    if (probe.type === "metric") {
      if (!isCountStatistic(probe.metric.statistic)) return [{ id: probe.id, metric: probe.metric, returnData: true }];
      // AWS publishes no datapoint for a minute without 5xx responses: a count reads zero there, not "no data".
      const raw = countedQueryId(probe.id);
      return [
        { id: raw, metric: probe.metric, returnData: false },
        { id: probe.id, expression: `FILL(${raw}, 0)`, periodSeconds: probe.metric.periodSeconds, returnData: true },
      ];
    }
    if (probe.type === "math") {
      const periods = Object.values(probe.metrics).map((m) => m.periodSeconds);
      const counted = (id: string) => isCountStatistic(probe.metrics[id]?.statistic ?? "");
      const expression = fillMetrics(parseMathExpression(probe.expression), counted);
      return [
        ...Object.entries(probe.metrics).map(([id, metric]): MetricQuery => ({
          id: subQueryId(probe.id, id),
          metric,
          returnData: false,
        })),
        {
          id: probe.id,
          expression: formatMathExpression(expression, (id) => subQueryId(probe.id, id)),
          periodSeconds: Math.max(...periods),
          returnData: true,
        },
      ];
    }
    return [];
  });
}

/**
 * How a probe treats a poll without data: as it says; else, for a metric probe on a count, as the zero AWS left
 * unpublished (in bounds, unless the probe has a lower bound, which zero breaks); else missing.
 */
export function missingDataTreatment(probe: Exclude<Probe, AlarmProbe>): MissingDataTreatment {
  if (probe.treatMissingData) return probe.treatMissingData;
  if (probe.type !== "metric" || !isCountStatistic(probe.metric.statistic)) return "missing";
  const relative = probe.bounds.relativeToBaseline;
  const lowerBound =
    (probe.bounds.min !== undefined && probe.bounds.min > 0) ||
    relative?.minRatio !== undefined ||
    relative?.mads !== undefined;
  return lowerBound ? "breaching" : "notBreaching";
}

/** The period and publication delay of a metric or math probe's value (a math probe waits for its slowest metric). */
export function publicationOf(probe: MetricProbe | MathProbe): { periodSeconds: number; delaySeconds: number } {
  const metrics = probe.type === "metric" ? [probe.metric] : Object.values(probe.metrics);
  return {
    periodSeconds: Math.max(...metrics.map((m) => m.periodSeconds)),
    delaySeconds: Math.max(...metrics.map(publicationDelayOf)),
  };
}

/**
 * Where a probe's data can be read at a poll covering `poll`: a metric up to its last complete, published period
 * (at least one period long), traces shifted into the past by X-Ray's processing delay, alarms as they are now.
 */
export function probeWindow(probe: Probe, poll: TimeWindow): TimeWindow {
  if (probe.type === "alarm") return poll;
  if (probe.type === "trace") {
    const delay = (probe.processingDelaySeconds ?? TRACE_PROCESSING_DELAY_SECONDS) * 1000;
    return { start: poll.start - delay, end: poll.end - delay };
  }
  const { periodSeconds, delaySeconds } = publicationOf(probe);
  const end = lastPublishedPeriodEnd(poll.end, periodSeconds, delaySeconds);
  return { start: end - Math.max(poll.end - poll.start, periodSeconds * 1000), end };
}

/** The datapoints of a series whose whole period lies inside a window: what the probe may judge. */
export function within(series: MetricSeries | undefined, window: TimeWindow, periodSeconds: number): MetricSeries {
  const out: MetricSeries = { id: series?.id ?? "", timestamps: [], values: [] };
  series?.timestamps.forEach((t, i) => {
    if (t >= window.start && t + periodSeconds * 1000 <= window.end && Number.isFinite(series.values[i])) {
      out.timestamps.push(t);
      out.values.push(series.values[i]!);
    }
  });
  return out;
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

/**
 * Reads every probe for a poll covering `poll` (the last poll interval up to now), each over its own window
 * (`probeWindow`), with one metric call and at most one trace call per filter expression.
 */
export async function readProbes(
  probes: readonly Probe[],
  sources: ProbeSources,
  poll: TimeWindow,
  references?: Record<string, BaselineReference>,
): Promise<ProbeReading[]> {
  return (await readWindow(probes, sources, poll, references)).readings;
}

/**
 * Reads the baseline window: the readings of the steady-state check, and the median and noise of each probe with
 * relative bounds, which every later poll is measured against. A probe without data there shows no steady state
 * (unless it treats missing data as not breaching).
 */
export async function readBaseline(
  probes: readonly Probe[],
  sources: ProbeSources,
  window: TimeWindow,
): Promise<{ readings: ProbeReading[]; references: Record<string, BaselineReference> }> {
  const { readings, series } = await readWindow(probes, sources, window, undefined);
  const references: Record<string, BaselineReference> = {};
  for (const probe of probes) {
    const reading = readings.find((r) => r.probeId === probe.id)!;
    if (reading.value === null && (reading.missingData === "missing" || reading.missingData === "ignore")) {
      reading.breaches.push("no data in the baseline window, so the steady state cannot be shown");
      reading.breached = true;
    }
    if (probe.type === "trace" || probe.type === "alarm") continue;
    // Injecting while a probe's newest period is still missing would be injecting blind: its data is later than
    // the probe's publication delay says, and every poll of the fault would find nothing.
    const newest = probeWindow(probe, window).end - publicationOf(probe).periodSeconds * 1000;
    const { timestamps = [] } = series.get(probe.id) ?? {};
    if (reading.value !== null && missingDataTreatment(probe) !== "notBreaching" && timestamps.at(-1) !== newest) {
      reading.breaches.push(
        `no datapoint yet for its latest period (${new Date(newest).toISOString().slice(11, 16)} UTC): CloudWatch publishes it later than the ${publicationOf(probe).delaySeconds} s the probe waits (set publicationDelaySeconds)`,
      );
      reading.breached = true;
    }
    if (!needsBaseline(probe.bounds)) continue;
    const values = series.get(probe.id)?.values ?? [];
    if (values.length >= MIN_BASELINE_POINTS) {
      references[probe.id] = { median: median(values), mad: medianAbsoluteDeviation(values), points: values.length };
      continue;
    }
    reading.breaches.push(
      `the baseline has ${values.length} datapoint(s); relative bounds need at least ${MIN_BASELINE_POINTS} (lengthen timing.baseline or shorten the metric's period)`,
    );
    reading.breached = true;
  }
  return { readings, references };
}

/** A reading without data, judged as the probe treats missing data. */
function missingReading(
  probe: Exclude<Probe, AlarmProbe>,
  describes: TimeWindow,
  measures?: Record<string, number | null>,
): ProbeReading {
  const treatment = missingDataTreatment(probe);
  const breaches = treatment === "breaching" ? ["no data (treated as breaching)"] : [];
  return {
    probeId: probe.id,
    value: null,
    ...(measures ? { measures } : {}),
    breached: breaches.length > 0,
    breaches,
    missingData: treatment,
    describesFrom: describes.start,
    describesUntil: describes.end,
  };
}

async function readWindow(
  probes: readonly Probe[],
  sources: ProbeSources,
  poll: TimeWindow,
  references: Record<string, BaselineReference> | undefined,
): Promise<{ readings: ProbeReading[]; series: Map<string, MetricSeries> }> {
  const windows = new Map(probes.map((p) => [p.id, probeWindow(p, poll)]));
  const metricWindows = probes.filter((p) => p.type === "metric" || p.type === "math").map((p) => windows.get(p.id)!);
  const queries = metricQueries(probes);
  // One GetMetricData call over every probe's window; each probe then keeps only its own published periods.
  const raw =
    queries.length && metricWindows.length
      ? await sources.metrics.query(queries, {
          start: Math.min(...metricWindows.map((w) => w.start)),
          end: Math.max(...metricWindows.map((w) => w.end)),
        })
      : new Map<string, MetricSeries>();
  const graphs = new Map<string, Map<string, RequestStatistics>>();
  for (const probe of probes) {
    if (probe.type !== "trace" || probe.service === undefined) continue;
    const window = windows.get(probe.id)!;
    const key = `${window.start}/${window.end}`;
    if (!graphs.has(key)) graphs.set(key, (await sources.traces.serviceGraph(window)).services);
  }
  const alarmNames = probes.flatMap((p) => (p.type === "alarm" ? [p.alarmName] : []));
  const alarms = alarmNames.length ? await sources.metrics.alarmStates(alarmNames) : new Map();
  const readings: ProbeReading[] = [];
  const series = new Map<string, MetricSeries>();
  for (const probe of probes) {
    const window = windows.get(probe.id)!;
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
        ? graphs.get(`${window.start}/${window.end}`)!.get(probe.service)
        : await sources.traces.filteredStatistics(probe.filterExpression!, window);
      const measures = traceMeasures(probe, stats ?? { requests: 0, errors: 0, faults: 0, throttles: 0, latency: [] });
      if (!measures.requests) {
        readings.push(missingReading(probe, window, measures));
        continue;
      }
      const breaches = traceBreaches(probe, measures);
      readings.push({
        probeId: probe.id,
        value: tracePrimaryValue(probe, measures),
        measures,
        breached: breaches.length > 0,
        breaches,
        describesFrom: window.start,
        describesUntil: window.end,
      });
    } else {
      const { periodSeconds } = publicationOf(probe);
      const own = within(raw.get(probe.id), window, periodSeconds);
      series.set(probe.id, own);
      const last = own.timestamps.length - 1;
      if (last < 0) {
        readings.push(missingReading(probe, { start: window.end - periodSeconds * 1000, end: window.end }));
        continue;
      }
      const value = own.values[last]!;
      const breaches = boundBreaches(value, boundsOf(probe, references));
      const describesFrom = own.timestamps[last]!;
      readings.push({
        probeId: probe.id,
        value,
        breached: breaches.length > 0,
        breaches,
        describesFrom,
        describesUntil: describesFrom + periodSeconds * 1000,
      });
    }
  }
  return { readings, series };
}
