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
