import { lambdaEntry } from "../src/aws/lambda-entry";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import { createObserveRecovery } from "../src/handlers/observe-recovery";

export const handler = lambdaEntry("observe-recovery", () =>
  createObserveRecovery({ clock: systemClock, metrics: cloudWatchMetrics(), traces: xrayTraces() }),
);
