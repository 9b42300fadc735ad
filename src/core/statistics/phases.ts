import type { GameDayState, StageRecord } from "../gameday/state";
import type { TimeWindow } from "../ports";
import type { Phase } from "./phase";

export * from "./phase";

/** Phase windows of the whole game day: one baseline, then a fault and a recovery window per stage. */
export function phaseWindows(state: GameDayState, now: number): Record<Phase, TimeWindow[]> {
  return {
    baseline: state.journal.baseline ? [state.journal.baseline.window] : [],
    fault: state.journal.stages.map((s) => ({ start: s.faultStartedAt, end: s.faultEndedAt ?? now })),
    recovery: state.journal.stages.flatMap((s) => recoveryWindowOf(state, s, now) ?? []),
  };
}

/**
 * The time after one stage's fault the game day watched: until the polls' streak showed recovery, until they gave
 * up, or until now. None while the fault never ended.
 */
export function recoveryWindowOf(state: GameDayState, stage: StageRecord, now: number): TimeWindow | undefined {
  if (stage.faultEndedAt === undefined) return undefined;
  const poll = state.timing.pollSeconds * 1000;
  const recovery = stage.recovery;
  return {
    start: stage.faultEndedAt,
    end:
      recovery?.recoveredAt !== undefined
        ? recovery.recoveredAt + state.timing.recoveredAfterPolls * poll
        : (recovery?.gaveUpAt ?? now),
  };
}

/**
 * The time after one stage's fault its complete record is judged on: the whole recovery window, cut short only by
 * the next stage's fault or by now. Longer than the polls' window when they recovered early, so the record holds
 * every period the polls read, whenever the polls came (a glitch can delay them past the data they would have read).
 */
export function recordRecoveryWindowOf(state: GameDayState, stage: StageRecord, now: number): TimeWindow | undefined {
  if (stage.faultEndedAt === undefined) return undefined;
  const next = state.journal.stages.find((s) => s.index > stage.index);
  return {
    start: stage.faultEndedAt,
    end: Math.min(stage.faultEndedAt + state.timing.recoverySeconds * 1000, next?.faultStartedAt ?? now, now),
  };
}
