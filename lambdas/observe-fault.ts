import { fisGetExperiment } from "../src/aws/fis";
import { fisClient } from "../src/aws/fis-client";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import type { GameDayState } from "../src/core/gameday/state";
import { observeFault, type FaultWatchPorts } from "../src/core/gameday/steps";

export const createObserveFault = (ports: FaultWatchPorts) => (state: GameDayState) => observeFault(state, ports);

export const handler = lambdaEntry("observe-fault", () =>
  createObserveFault({
    clock: systemClock,
    metrics: cloudWatchMetrics(),
    traces: xrayTraces(),
    experiments: { get: fisGetExperiment(fisClient()) },
  }),
);
