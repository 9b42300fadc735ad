import type { GameDayState } from "../core/gameday/state";
import { stopEverything } from "../core/gameday/cleanup";
import type { CleanupPorts } from "../core/gameday/cleanup";

export const createStopEverything = (ports: CleanupPorts) => (state: GameDayState) => stopEverything(state, ports);
