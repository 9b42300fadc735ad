import { lambdaEntry } from "../src/aws/lambda-entry";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import { createCheckSteadyState } from "../src/handlers/check-steady-state";
import { putAlarmMute } from "../src/aws/alarm-mutes";

export const handler = lambdaEntry("check-steady-state", () =>
  createCheckSteadyState({
    clock: systemClock,
    metrics: cloudWatchMetrics(),
    traces: xrayTraces(),
    mutes: { mute: putAlarmMute() },
  }),
);
