import { lambdaEntry } from "../src/aws/lambda-entry";
import type { GameDayState } from "../src/core/gameday/state";
import { checkSteadyState } from "../src/core/gameday/steps";
import type { HandlerPorts } from "../src/core/ports";

export const createCheckSteadyState = (ports: HandlerPorts) => (state: GameDayState) => checkSteadyState(state, ports);

export const handler = lambdaEntry("check-steady-state", createCheckSteadyState);
