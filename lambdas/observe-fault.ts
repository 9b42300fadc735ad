import { fisGetExperiment } from "../src/aws/fis";
import { fisClient } from "../src/aws/fis-client";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import { createObserveFault } from "../src/handlers/observe-fault";

export const handler = lambdaEntry("observe-fault", () =>
  createObserveFault({
    clock: systemClock,
    metrics: cloudWatchMetrics(),
    traces: xrayTraces(),
    experiments: { get: fisGetExperiment(fisClient()) },
  }),
);
