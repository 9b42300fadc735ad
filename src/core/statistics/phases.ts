import type { GameDayState } from "../gameday/state";
import type { TimeWindow } from "../ports";
import type { Phase } from "./phase";

export * from "./phase";

/** Phase windows of the whole game day: one baseline, then a fault and a recovery window per stage. */
export function phaseWindows(state: GameDayState, now: number): Record<Phase, TimeWindow[]> {
  const poll = state.timing.pollSeconds * 1000;
  return {
    baseline: state.journal.baseline ? [state.journal.baseline.window] : [],
    fault: state.journal.stages.map((s) => ({ start: s.faultStartedAt, end: s.faultEndedAt ?? now })),
    recovery: state.journal.stages
      .filter((s) => s.faultEndedAt !== undefined)
      .map((s) => ({
        start: s.faultEndedAt!,
        end:
          s.recovery?.recoveredAt !== undefined
            ? s.recovery.recoveredAt + state.timing.recoveredAfterPolls * poll
            : (s.recovery?.gaveUpAt ?? now),
      })),
  };
}
