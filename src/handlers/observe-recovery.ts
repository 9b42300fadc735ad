import type { GameDayState } from "../core/gameday/state";
import { observeRecovery, type ObservePorts } from "../core/gameday/observe";

export const createObserveRecovery = (ports: ObservePorts) => (state: GameDayState) => observeRecovery(state, ports);
