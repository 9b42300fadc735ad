import type { ReadingSample } from "../gameday/state";
import type { MissingDataTreatment } from "../plan/schema";
import type { TimeWindow } from "../ports";

/**
 * What the complete record of one probe shows about one stage's fault window, read once when the game day ends:
 * every period CloudWatch (or X-Ray) has published by then, whichever polls were lost, retried or late. The verdict
 * judges the hypothesis on it, so an orchestrator glitch (a Lambda timeout, a throttled read) cannot change it; the
 * polls keep deciding the guardrails, which must act while the fault is live.
 */
export interface FaultRecord {
  /** The probe's periods that overlap the fault window and were published when the record was read. */
  periods: number;
  /** Periods without a datapoint that count as no data (the probe does not treat missing data as good or bad news). */
  noDataPeriods: number;
  outOfBoundsPeriods: number;
  periodSeconds: number;
  firstOutOfBounds?: ReadingSample;
  /** The same probe's record of the stage's recovery window; absent while the fault never ended. */
  recovery?: RecoveryRecord;
}

/**
 * What the complete record shows of one probe after one stage's fault: whether it was back in bounds for as long
 * as the polls need to call it recovered, and if not, its last breach. Judged like the recovery polls: a period
 * without data where data is expected restarts the streak; a gap in a probe that ignores or does not mind missing
 * data keeps it going.
 */
export interface RecoveryRecord {
  /** Periods of the window published when the record was read. */
  periods: number;
  noDataPeriods: number;
  /** In-band periods in a row that show recovery: the polls' streak, as a duration, in the probe's periods. */
  periodsNeeded: number;
  /** The start of the first period of the streak that showed recovery (the fault's end, if it ended in it). */
  recoveredAt?: number;
  /** The last out-of-bounds period of the window, when the probe never recovered. */
  lastOutOfBounds?: ReadingSample;
  /** Every period of the window had been published when the record was read. */
  complete: boolean;
}

/** Fault records by stage index, then probe id; a probe without one is judged on its polls. */
export type FaultRecords = Record<number, Record<string, FaultRecord>>;

/** One datapoint: the start of its period (epoch ms), its value, and why it is out of bounds (empty: in band). */
export interface RecordPoint {
  at: number;
  value: number;
  breaches: string[];
}

/**
 * The record of one probe over one fault window. Periods are aligned to the period length (as CloudWatch aligns
 * them); each datapoint belongs to the period it starts in. Periods that end after `publishedUntil` are left out:
 * their data may still be on its way.
 */
export function faultRecordOf(options: {
  points: readonly RecordPoint[];
  periodSeconds: number;
  fault: TimeWindow;
  publishedUntil: number;
  missingData: MissingDataTreatment;
}): FaultRecord {
  const { periodSeconds, fault, publishedUntil } = options;
  const period = periodSeconds * 1000;
  const first = Math.floor(fault.start / period) * period;
  // Every period that overlaps the fault window.
  const count = Math.max(0, Math.ceil((fault.end - first) / period));
  const byPeriod = new Map<number, RecordPoint>();
  for (const point of options.points) {
    const index = Math.floor((point.at - first) / period);
    if (index >= 0 && index < count && Number.isFinite(point.value)) byPeriod.set(index, point);
  }
  const record: FaultRecord = { periods: 0, noDataPeriods: 0, outOfBoundsPeriods: 0, periodSeconds };
  for (let index = 0; index < count; index++) {
    const at = first + index * period;
    if (at + period > publishedUntil) break;
    record.periods += 1;
    const point = byPeriod.get(index);
    let breaches: string[];
    if (point === undefined) {
      if (options.missingData === "notBreaching") continue;
      if (options.missingData !== "breaching") {
        record.noDataPeriods += 1;
        continue;
      }
      breaches = ["no data (treated as breaching)"];
    } else breaches = point.breaches;
    if (!breaches.length) continue;
    record.outOfBoundsPeriods += 1;
    record.firstOutOfBounds ??= { at, value: point?.value ?? null, breach: breaches.join("; ") };
  }
  return record;
}

/**
 * The record of one probe over one recovery window (`window.start` is when the fault ended). The streak of in-band
 * periods that shows recovery lasts as long as the polls' (`streakSeconds`), at least one period.
 */
export function recoveryRecordOf(options: {
  points: readonly RecordPoint[];
  periodSeconds: number;
  window: TimeWindow;
  publishedUntil: number;
  missingData: MissingDataTreatment;
  streakSeconds: number;
}): RecoveryRecord {
  const { periodSeconds, window, publishedUntil } = options;
  const period = periodSeconds * 1000;
  const periodsNeeded = Math.max(1, Math.ceil(options.streakSeconds / periodSeconds));
  // From the period the fault ended in: in band, it shows the system fine as the fault ended (the polls start the
  // recovery clock at zero then too); recovery is timed from the fault's end, never before it.
  const first = Math.floor(window.start / period) * period;
  const byStart = new Map<number, RecordPoint>();
  for (const point of options.points)
    if (Number.isFinite(point.value)) byStart.set(Math.floor(point.at / period) * period, point);
  const record: RecoveryRecord = { periods: 0, noDataPeriods: 0, periodsNeeded, complete: true };
  let streak = 0;
  let streakStart: number | undefined;
  for (let at = first; at < window.end; at += period) {
    if (at + period > publishedUntil) {
      record.complete = false;
      break;
    }
    record.periods += 1;
    const point = byStart.get(at);
    let breaches: string[];
    if (point === undefined) {
      if (options.missingData === "missing") {
        record.noDataPeriods += 1;
        streak = 0;
        streakStart = undefined;
        continue;
      }
      // Ignored, a gap keeps the streak going, as it does for the recovery polls (docs/plans.md, "Verdicts").
      breaches = options.missingData === "breaching" ? ["no data (treated as breaching)"] : [];
    } else breaches = point.breaches;
    if (breaches.length) {
      record.lastOutOfBounds = { at, value: point?.value ?? null, breach: breaches.join("; ") };
      streak = 0;
      streakStart = undefined;
      continue;
    }
    streak += 1;
    streakStart ??= at;
    if (streak >= periodsNeeded) {
      record.recoveredAt = Math.max(streakStart, window.start);
      delete record.lastOutOfBounds;
      return record;
    }
  }
  return record;
}
