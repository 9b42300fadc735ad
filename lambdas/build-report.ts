import { lambdaEntry } from "../src/aws/lambda-entry";
import type { GameDayState } from "../src/core/gameday/state";
import { finishGameDay } from "../src/core/gameday/steps";
import type { HandlerPorts } from "../src/core/ports";

export const createBuildReport = (ports: HandlerPorts) => (state: GameDayState) => finishGameDay(state, ports);

export const handler = lambdaEntry("build-report", createBuildReport);
