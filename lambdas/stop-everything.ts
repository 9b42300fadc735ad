import { lambdaEntry } from "../src/aws/lambda-entry";
import type { GameDayState } from "../src/core/gameday/state";
import { stopEverything } from "../src/core/gameday/steps";
import type { HandlerPorts } from "../src/core/ports";

export const createStopEverything = (ports: HandlerPorts) => (state: GameDayState) => stopEverything(state, ports);

export const handler = lambdaEntry("stop-everything", createStopEverything);
