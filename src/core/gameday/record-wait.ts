import { publicationOf } from "../probes/read";
import { TRACE_PROCESSING_DELAY_SECONDS } from "../probes/publication";
import { recordRecoveryWindowOf } from "../statistics/phases";
import { TRACE_PERIOD_SECONDS } from "../traces/report";
import type { GameDayState } from "./state";

/** The longest the game day waits for its record: past it, the report judges what is published. */
export const MAX_RECORD_WAIT_SECONDS = 900;

/**
 * How long to wait before the report reads the complete record: until CloudWatch and X-Ray have published every
 * period of the last fault and recovery window of each probe the record judges. The wait comes after every
 * experiment has stopped, so it never prolongs a fault; without it, a report built right after the last poll would
 * miss the periods still in flight and judge less than the polls saw.
 */
export function recordWaitSeconds(state: GameDayState, now: number): number {
  // Nothing injected, nothing to judge after it.
  if (!state.journal.stages.length) return 0;
  const until = Math.max(...state.journal.stages.map((s) => recordRecoveryWindowOf(state, s, now)?.end ?? now));
  let publishedAt = now;
  for (const probe of state.plan.hypothesis.probes) {
    // Alarms and filter-expression trace probes are judged on their polls: nothing to wait for.
    if (probe.type === "alarm" || (probe.type === "trace" && !probe.service)) continue;
    const { periodSeconds, delaySeconds } =
      probe.type === "trace"
        ? {
            periodSeconds: TRACE_PERIOD_SECONDS,
            delaySeconds: probe.processingDelaySeconds ?? TRACE_PROCESSING_DELAY_SECONDS,
          }
        : publicationOf(probe);
    const period = periodSeconds * 1000;
    // The end of the period the window's last moment falls in, then the delay its datapoint takes.
    publishedAt = Math.max(publishedAt, Math.ceil(until / period) * period + delaySeconds * 1000);
  }
  return Math.max(0, Math.min(MAX_RECORD_WAIT_SECONDS, Math.ceil((publishedAt - now) / 1000)));
}
