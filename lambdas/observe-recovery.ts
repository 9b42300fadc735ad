import { lambdaEntry } from "../src/aws/lambda-entry";
import type { GameDayState } from "../src/core/gameday/state";
import { observeRecovery } from "../src/core/gameday/steps";
import type { HandlerPorts } from "../src/core/ports";

export const createObserveRecovery = (ports: HandlerPorts) => (state: GameDayState) => observeRecovery(state, ports);

export const handler = lambdaEntry("observe-recovery", createObserveRecovery);
