import { TRACE_PROCESSING_DELAY_SECONDS } from "../probes/publication";
import type { TimedStatistics, TimeWindow, TraceEntity, TraceSource } from "../ports";
import { PHASES, type Phase } from "../statistics/phase";
import { analyseEntity, severity, type EntityReport } from "./blast-radius";
import type { TraceReport } from "./model";

export type { TraceReport } from "./model";

/** At most this many services and edges get a time series each: one call per entity bounds the report's cost. */
export const TRACE_ENTITY_CAP = 30;
export const TRACE_PERIOD_SECONDS = 60;
/** X-Ray filter expression selecting traces with a fault (5xx) anywhere in them. */
export const FAULTED_TRACES = "fault";

export const edgeName = (from: string, to: string) => `${from} → ${to}`;

/**
 * Reads the service graph once over the whole game day, then one time series per service and edge (busiest
 * first, capped), and a capped sample of faulted traces per phase window for their root causes.
 */
/**
 * The whole trace periods of a span that X-Ray has processed: a partial first or last period would look like lost
 * traffic, and a period not yet processed like none.
 */
export function processedTracePeriods(span: TimeWindow): TimeWindow {
  const period = TRACE_PERIOD_SECONDS * 1000;
  const processed = span.end - TRACE_PROCESSING_DELAY_SECONDS * 1000;
  return { start: Math.floor(span.start / period) * period, end: Math.floor(processed / period) * period };
}

export async function buildTraceReport(
  traces: TraceSource,
  windows: Record<Phase, TimeWindow[]>,
  span: TimeWindow,
): Promise<{ report: TraceReport; serviceSeries: Map<string, TimedStatistics[]> }> {
  const aligned = processedTracePeriods(span);
  const graph = await traces.serviceGraph(span);
  const entities: { name: string; kind: EntityReport["kind"]; entity: TraceEntity; requests: number }[] = [
    ...[...graph.services].map(([service, s]) => ({
      name: service,
      kind: "service" as const,
      entity: { service },
      requests: s.requests,
    })),
    ...graph.edges.map((e) => ({
      name: edgeName(e.from, e.to),
      kind: "edge" as const,
      entity: { from: e.from, to: e.to },
      requests: e.statistics.requests,
    })),
  ].sort((a, b) => b.requests - a.requests);
  const kept = entities.slice(0, TRACE_ENTITY_CAP);
  const serviceSeries = new Map<string, TimedStatistics[]>();
  const analysed: EntityReport[] = [];
  for (const e of kept) {
    const series =
      aligned.end > aligned.start ? await traces.entityTimeSeries(e.entity, aligned, TRACE_PERIOD_SECONDS) : [];
    if ("service" in e.entity) serviceSeries.set(e.entity.service, series);
    analysed.push(analyseEntity(e.name, e.kind, series, windows, TRACE_PERIOD_SECONDS));
  }
  const faultRootCauses = { baseline: {}, fault: {}, recovery: {} } as TraceReport["faultRootCauses"];
  const sampledTraces = { baseline: 0, fault: 0, recovery: 0 } as TraceReport["sampledTraces"];
  let sampleCapped = false;
  for (const phase of PHASES) {
    for (const window of windows[phase]) {
      if (window.end <= window.start) continue;
      const sample = await traces.filteredStatistics(FAULTED_TRACES, window);
      sampledTraces[phase] += sample.requests;
      sampleCapped ||= sample.capped;
      for (const [service, n] of Object.entries(sample.faultRootCauses))
        faultRootCauses[phase][service] = (faultRootCauses[phase][service] ?? 0) + n;
    }
  }
  const worst = (e: EntityReport) => Math.max(0, ...e.moved.map(severity));
  const blastRadius = analysed
    .filter((e) => e.moved.length)
    .sort((a, b) => worst(b) - worst(a))
    .map((e) => e.name);
  return {
    report: {
      services: analysed.filter((e) => e.kind === "service"),
      edges: analysed.filter((e) => e.kind === "edge"),
      blastRadius,
      faultRootCauses,
      sampledTraces,
      sampleCapped,
      entitiesLeftOut: entities.length - kept.length,
    },
    serviceSeries,
  };
}
