import type { TimeWindow } from "../ports";

export type Phase = "baseline" | "fault" | "recovery";
export const PHASES: readonly Phase[] = ["baseline", "fault", "recovery"];

export const inAnyWindow = (t: number, windows: readonly TimeWindow[]) =>
  windows.some((w) => t >= w.start && t < w.end);

/**
 * The phase a datapoint belongs to: the fault's if its period overlaps a fault window (a fault over within seconds
 * shows only in the minute it happened in), else the phase its period starts in; undefined between phases.
 */
export function phaseOf(
  t: number,
  windows: Record<Phase, readonly TimeWindow[]>,
  periodSeconds = 0,
): Phase | undefined {
  const end = t + Math.max(1, periodSeconds * 1000);
  if (windows.fault.some((w) => t < w.end && end > w.start)) return "fault";
  return PHASES.find((phase) => inAnyWindow(t, windows[phase]));
}

/** Splits a series into the values of each phase (values between phases belong to none). */
export function splitByPhase(
  timestamps: readonly number[],
  values: readonly number[],
  windows: Record<Phase, readonly TimeWindow[]>,
  periodSeconds = 0,
): Record<Phase, number[]> {
  const out: Record<Phase, number[]> = { baseline: [], fault: [], recovery: [] };
  timestamps.forEach((t, i) => {
    const phase = phaseOf(t, windows, periodSeconds);
    const value = values[i];
    if (phase && value !== undefined && Number.isFinite(value)) out[phase].push(value);
  });
  return out;
}

/**
 * Seconds from the end of a fault until the probe's datapoints stay in band: for `pointsNeeded` datapoints, or
 * until the end of what was observed when fewer remain (the game day stops watching once it has seen recovery).
 * Zero when the probe was in band as the fault ended; null when it never settled before `observedUntil`.
 */
export function timeToRecover(
  series: { timestamps: readonly number[]; values: readonly number[]; periodSeconds: number },
  faultEndedAt: number,
  observedUntil: number,
  isInBand: (value: number) => boolean,
  pointsNeeded: number,
): number | null {
  const period = series.periodSeconds * 1000;
  const candidates: { t: number; ok: boolean }[] = [];
  series.timestamps.forEach((t, i) => {
    const value = series.values[i];
    if (t + period > faultEndedAt && t < observedUntil && value !== undefined && Number.isFinite(value))
      candidates.push({ t, ok: isInBand(value) });
  });
  for (let i = 0; i < candidates.length; i++) {
    if (!candidates[i]!.ok) continue;
    const streak = candidates.slice(i, i + pointsNeeded);
    if (streak.every((c) => c.ok)) return Math.max(0, (candidates[i]!.t - faultEndedAt) / 1000);
  }
  return null;
}
