import type { GameDayState } from "../core/gameday/state";
import { checkSteadyState, type ObservePorts } from "../core/gameday/observe";
import { muteAlarmActions } from "../core/gameday/alarm-mutes";
import type { AlarmMutes } from "../core/ports";

/** The steady-state check; a steady system's pagers are then muted for the game day, as the plan asks. */
export const createCheckSteadyState =
  (ports: ObservePorts & { mutes: Pick<AlarmMutes, "mute"> }) => async (state: GameDayState) =>
    muteAlarmActions(await checkSteadyState(state, ports), ports.mutes, ports.clock);
