import type { GameDayState } from "../core/gameday/state";
import { stopEverything } from "../core/gameday/cleanup";
import type { ExperimentControl } from "../core/ports";

export const createStopEverything = (ports: { experiments: ExperimentControl }) => (state: GameDayState) =>
  stopEverything(state, ports);
