import { lambdaEntry } from "../src/aws/lambda-entry";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import type { GameDayState } from "../src/core/gameday/state";
import { checkSteadyState, type ObservePorts } from "../src/core/gameday/steps";

export const createCheckSteadyState = (ports: ObservePorts) => (state: GameDayState) => checkSteadyState(state, ports);

export const handler = lambdaEntry("check-steady-state", () =>
  createCheckSteadyState({ clock: systemClock, metrics: cloudWatchMetrics(), traces: xrayTraces() }),
);
