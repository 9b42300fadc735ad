import { fisExperiments } from "../src/aws/fis-control";
import { lambdaEntry } from "../src/aws/lambda-entry";
import type { GameDayState } from "../src/core/gameday/state";
import { stopEverything } from "../src/core/gameday/steps";
import type { ExperimentControl } from "../src/core/ports";

export const createStopEverything = (ports: { experiments: ExperimentControl }) => (state: GameDayState) =>
  stopEverything(state, ports);

export const handler = lambdaEntry("stop-everything", () => createStopEverything({ experiments: fisExperiments() }));
