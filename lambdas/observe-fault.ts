import { fisExperiments } from "../src/aws/fis";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import type { GameDayState } from "../src/core/gameday/state";
import { observeFault, type StepPorts } from "../src/core/gameday/steps";

export const createObserveFault = (ports: StepPorts) => (state: GameDayState) => observeFault(state, ports);

export const handler = lambdaEntry("observe-fault", () =>
  createObserveFault({
    clock: systemClock,
    metrics: cloudWatchMetrics(),
    traces: xrayTraces(),
    experiments: fisExperiments(),
  }),
);
