import type { GameDayState } from "../core/gameday/state";
import { observeFault, type FaultWatchPorts } from "../core/gameday/observe";

export const createObserveFault = (ports: FaultWatchPorts) => (state: GameDayState) => observeFault(state, ports);
