import type { Bounds } from "../plan/schema";

/** What the baseline window said about a probe: the centre and the noise that relative bounds are measured from. */
export interface BaselineReference {
  median: number;
  /** Median absolute deviation of the baseline's datapoints. */
  mad: number;
  points: number;
}

/** Relative bounds need a few datapoints before the fault: fewer say nothing about the noise. */
export const MIN_BASELINE_POINTS = 3;

/** Bounds in plain numbers, as they apply during the game day, each with the rule it came from. */
export interface ResolvedBounds {
  min?: number;
  max?: number;
  /** Where a relative bound came from, e.g. "1.5 × baseline 0.42"; absent for absolute bounds. */
  minRule?: string;
  maxRule?: string;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export const needsBaseline = (bounds: Bounds): boolean => bounds.relativeToBaseline !== undefined;

/**
 * The tightest of the absolute bounds and the bounds relative to the baseline. Without a reference (the steady
 * state check itself, which is what produces it) only the absolute bounds apply.
 */
export function resolveBounds(bounds: Bounds, reference?: BaselineReference): ResolvedBounds {
  const out: ResolvedBounds = {};
  const tighten = (side: "min" | "max", value: number, rule: string) => {
    const current = out[side];
    if (current === undefined || (side === "max" ? value < current : value > current)) {
      out[side] = value;
      if (rule) out[`${side}Rule`] = rule;
      else delete out[`${side}Rule`];
    }
  };
  if (bounds.max !== undefined) tighten("max", bounds.max, "");
  if (bounds.min !== undefined) tighten("min", bounds.min, "");
  const relative = bounds.relativeToBaseline;
  if (relative && reference) {
    const { median, mad } = reference;
    if (relative.maxRatio !== undefined)
      tighten("max", median * relative.maxRatio, `${relative.maxRatio} × baseline ${round(median)}`);
    if (relative.minRatio !== undefined)
      tighten("min", median * relative.minRatio, `${relative.minRatio} × baseline ${round(median)}`);
    if (relative.mads !== undefined) {
      const band = Math.max(relative.mads * mad, relative.minimumDeviation);
      const rule = `baseline ${round(median)} ± ${round(band)} (${relative.mads} MAD)`;
      tighten("max", median + band, rule);
      tighten("min", median - band, rule);
    }
  }
  return out;
}

export const inBand = (value: number, bounds: ResolvedBounds): boolean =>
  (bounds.max === undefined || value <= bounds.max) && (bounds.min === undefined || value >= bounds.min);

/** Why a value breaches, in words; empty when in band. */
export function boundBreaches(value: number | null, bounds: ResolvedBounds, label = "value"): string[] {
  if (value === null) return [`${label}: no data`];
  const out: string[] = [];
  if (bounds.max !== undefined && value > bounds.max)
    out.push(`${label} ${round(value)} > ${round(bounds.max)}${bounds.maxRule ? ` (${bounds.maxRule})` : ""}`);
  if (bounds.min !== undefined && value < bounds.min)
    out.push(`${label} ${round(value)} < ${round(bounds.min)}${bounds.minRule ? ` (${bounds.minRule})` : ""}`);
  return out;
}
