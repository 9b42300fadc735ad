import type { GameDayState } from "../core/gameday/state";
import { stopEverything } from "../core/gameday/cleanup";
import type { CleanupPorts } from "../core/gameday/cleanup";
import { unmuteAlarmActions } from "../core/gameday/alarm-mutes";
import type { AlarmMutes } from "../core/ports";

/** Cleanup: every experiment stopped; once none is live, the game day's alarm mute ends. */
export const createStopEverything =
  (ports: CleanupPorts & { mutes: Pick<AlarmMutes, "unmute"> }) => async (state: GameDayState) => {
    const cleaned = await stopEverything(state, ports);
    return cleaned.cleanup?.pending ? cleaned : unmuteAlarmActions(cleaned, ports.mutes, ports.clock);
  };
