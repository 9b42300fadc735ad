import { fisClient, fisGetExperiment } from "../src/aws/fis";
import { fisListTagged } from "../src/aws/fis-list";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import type { GameDayState } from "../src/core/gameday/state";
import { finishGameDay, type ReportPorts } from "../src/core/gameday/steps";

export const createBuildReport = (ports: ReportPorts) => (state: GameDayState) => finishGameDay(state, ports);

export const handler = lambdaEntry("build-report", () => {
  const client = fisClient();
  return createBuildReport({
    clock: systemClock,
    metrics: cloudWatchMetrics(),
    traces: xrayTraces(),
    experiments: { get: fisGetExperiment(client), listTagged: fisListTagged(client) },
  });
});
