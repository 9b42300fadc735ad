import type { GameDayState } from "../core/gameday/state";
import { checkSteadyState, type ObservePorts } from "../core/gameday/observe";

export const createCheckSteadyState = (ports: ObservePorts) => (state: GameDayState) => checkSteadyState(state, ports);
