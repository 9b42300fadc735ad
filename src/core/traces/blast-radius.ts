import { median, medianAbsoluteDeviation } from "simple-statistics";
import type { LatencyBucket, RequestStatistics, TimedStatistics, TimeWindow } from "../ports";
import { PHASES, phaseOf, type Phase } from "../statistics/phase";
import { histogramPercentile, ratio } from "../statistics/summary";

/** What a service or an edge did in one phase of the game day. */
export interface PhaseTraffic {
  requests: number;
  requestsPerMinute: number | null;
  faultRate: number | null;
  errorRate: number | null;
  throttleRate: number | null;
  p50Milliseconds: number | null;
  p90Milliseconds: number | null;
  p99Milliseconds: number | null;
}

export type MovementMeasure = "faultRate" | "errorRate" | "throttleRate" | "p99Milliseconds" | "requestsPerMinute";

/** A measure that left the baseline's noise band in the fault or recovery phase. */
export interface Movement {
  measure: MovementMeasure;
  phase: "fault" | "recovery";
  baseline: number;
  observed: number;
  /** The edge of the noise band the observed value crossed. */
  threshold: number;
}

export interface EntityReport {
  /** A service name, or `caller → callee` for an edge. */
  name: string;
  kind: "service" | "edge";
  phases: Record<Phase, PhaseTraffic>;
  moved: Movement[];
}

/** How many scaled median absolute deviations from the baseline median count as moved. */
export const NOISE_MADS = 3;
/** 1.4826 × MAD estimates the standard deviation of normally distributed noise. */
const MAD_TO_SIGMA = 1.4826;
/** Below this many requests in a phase, rates are too noisy to call a movement. */
export const MIN_REQUESTS_FOR_MOVEMENT = 30;

/**
 * The smallest change that counts whatever the baseline's noise, so a perfectly flat baseline (no faults at all)
 * does not turn a single failed request into blast radius.
 */
const FLOORS: Record<MovementMeasure, (baselineMedian: number) => number> = {
  faultRate: () => 0.01,
  errorRate: () => 0.01,
  throttleRate: () => 0.01,
  p99Milliseconds: (m) => Math.max(0.25 * m, 5),
  requestsPerMinute: (m) => 0.1 * m,
};

const MEASURES: MovementMeasure[] = ["faultRate", "errorRate", "throttleRate", "p99Milliseconds", "requestsPerMinute"];

/** Adds statistics up: counts sum, latency histograms merge. */
export function mergeStatistics(parts: readonly RequestStatistics[]): RequestStatistics {
  const buckets = new Map<number, number>();
  const total: RequestStatistics = { requests: 0, errors: 0, faults: 0, throttles: 0, latency: [] };
  for (const p of parts) {
    total.requests += p.requests;
    total.errors += p.errors;
    total.faults += p.faults;
    total.throttles += p.throttles;
    for (const b of p.latency) buckets.set(b.milliseconds, (buckets.get(b.milliseconds) ?? 0) + b.count);
  }
  total.latency = [...buckets.entries()].map(([milliseconds, count]): LatencyBucket => ({ milliseconds, count }));
  return total;
}

export function trafficOf(stats: RequestStatistics, minutes: number | null): PhaseTraffic {
  return {
    requests: stats.requests,
    requestsPerMinute: minutes ? stats.requests / minutes : null,
    faultRate: ratio(stats.faults, stats.requests),
    errorRate: ratio(stats.errors, stats.requests),
    throttleRate: ratio(stats.throttles, stats.requests),
    p50Milliseconds: histogramPercentile(stats.latency, 50),
    p90Milliseconds: histogramPercentile(stats.latency, 90),
    p99Milliseconds: histogramPercentile(stats.latency, 99),
  };
}

/**
 * One service's or edge's behaviour per phase, and the measures that moved beyond the baseline's noise: the
 * noise is the spread of the baseline's per-period values, so busy and quiet services are judged alike.
 */
export function analyseEntity(
  name: string,
  kind: EntityReport["kind"],
  series: readonly TimedStatistics[],
  windows: Record<Phase, readonly TimeWindow[]>,
  periodSeconds: number,
): EntityReport {
  const byPhase: Record<Phase, TimedStatistics[]> = { baseline: [], fault: [], recovery: [] };
  for (const point of series) {
    const phase = phaseOf(point.timestamp, windows, periodSeconds);
    if (phase) byPhase[phase].push(point);
  }
  const minutesPerPoint = periodSeconds / 60;
  const phases = Object.fromEntries(
    PHASES.map((phase) => [
      phase,
      trafficOf(
        mergeStatistics(byPhase[phase].map((p) => p.statistics)),
        byPhase[phase].length ? byPhase[phase].length * minutesPerPoint : null,
      ),
    ]),
  ) as Record<Phase, PhaseTraffic>;

  const baselinePoints = byPhase.baseline.map((p) => trafficOf(p.statistics, minutesPerPoint));
  const moved: Movement[] = [];
  for (const measure of MEASURES) {
    const values = baselinePoints.map((p) => p[measure]).filter((v): v is number => v !== null);
    if (!values.length) continue;
    const centre = median(values);
    const band = Math.max(MAD_TO_SIGMA * NOISE_MADS * medianAbsoluteDeviation(values), FLOORS[measure](centre));
    for (const phase of ["fault", "recovery"] as const) {
      const traffic = phases[phase];
      const observed = traffic[measure];
      if (observed === null) continue;
      if (measure === "requestsPerMinute") {
        // Lost traffic is the movement that matters: requests shed by a zone or a dead dependency.
        if (observed < centre - band)
          moved.push({ measure, phase, baseline: centre, observed, threshold: centre - band });
      } else if (traffic.requests >= MIN_REQUESTS_FOR_MOVEMENT && observed > centre + band) {
        moved.push({ measure, phase, baseline: centre, observed, threshold: centre + band });
      }
    }
  }
  return { name, kind, phases, moved };
}

/** How far a movement went, relative to its band: the blast radius lists the worst first. */
export const severity = (m: Movement) =>
  Math.abs(m.observed - m.baseline) / Math.max(Math.abs(m.threshold - m.baseline), Number.EPSILON);
