import { max, mean, median, medianAbsoluteDeviation, min, quantileSorted } from "simple-statistics";
import type { LatencyBucket } from "../ports";

export interface SeriesSummary {
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  median: number | null;
  /** Median absolute deviation: the baseline's noise, robust to the odd spike. */
  mad: number | null;
  p99: number | null;
  last: number | null;
}

export function summarize(values: readonly number[]): SeriesSummary {
  if (values.length === 0) {
    return { count: 0, min: null, max: null, mean: null, median: null, mad: null, p99: null, last: null };
  }
  // -0 and 0 are the same reading; left apart, their order (and so the median) would depend on the input's order.
  const sorted = values.map((v) => (v === 0 ? 0 : v)).sort((a, b) => a - b);
  return {
    count: values.length,
    min: min(sorted),
    max: max(sorted),
    mean: mean(sorted),
    median: median(sorted),
    mad: medianAbsoluteDeviation(sorted),
    p99: quantileSorted(sorted, 0.99),
    last: values[values.length - 1]!,
  };
}

/** The latency below which `percentile`% of requests fall, read off a histogram (upper bucket edges). */
export function histogramPercentile(buckets: readonly LatencyBucket[], percentile: number): number | null {
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return null;
  const sorted = [...buckets].sort((a, b) => a.milliseconds - b.milliseconds);
  const rank = (percentile / 100) * total;
  let seen = 0;
  for (const bucket of sorted) {
    seen += bucket.count;
    if (seen >= rank) return bucket.milliseconds;
  }
  return sorted[sorted.length - 1]!.milliseconds;
}

export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
