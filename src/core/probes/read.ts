import type { Bounds, Probe, TraceProbe } from "../plan/schema";
import type { MetricQuery, MetricSeries, MetricSource, RequestStatistics, TimeWindow, TraceSource } from "../ports";
import { histogramPercentile, ratio } from "../statistics/summary";
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

export function boundBreaches(value: number | null, bounds: Bounds, label = "value"): string[] {
  if (value === null) return [`${label}: no data`];
  const out: string[] = [];
  if (bounds.max !== undefined && value > bounds.max) out.push(`${label} ${round(value)} > ${bounds.max}`);
  if (bounds.min !== undefined && value < bounds.min) out.push(`${label} ${round(value)} < ${bounds.min}`);
  return out;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

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
): Promise<ProbeReading[]> {
  const queries = metricQueries(probes);
  const series = queries.length ? await sources.metrics.query(queries, window) : new Map<string, MetricSeries>();
  const needsServiceGraph = probes.some((p) => p.type === "trace" && p.service !== undefined);
  const services = needsServiceGraph ? await sources.traces.serviceStatistics(window) : new Map();
  const readings: ProbeReading[] = [];
  for (const probe of probes) {
    if (probe.type === "trace") {
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
      });
    } else {
      const values = series.get(probe.id)?.values ?? [];
      const value = values.length ? values[values.length - 1]! : null;
      const breaches = boundBreaches(value, probe.bounds);
      readings.push({ probeId: probe.id, value, breached: breaches.length > 0, breaches });
    }
  }
  return readings;
}
