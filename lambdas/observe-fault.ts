import { lambdaEntry } from "../src/aws/lambda-entry";
import type { GameDayState } from "../src/core/gameday/state";
import { observeFault } from "../src/core/gameday/steps";
import type { HandlerPorts } from "../src/core/ports";

export const createObserveFault = (ports: HandlerPorts) => (state: GameDayState) => observeFault(state, ports);

export const handler = lambdaEntry("observe-fault", createObserveFault);
