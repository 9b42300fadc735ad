import { fisGetExperiment } from "../src/aws/fis";
import { fisClient } from "../src/aws/fis-client";
import { fisListTagged } from "../src/aws/fis-list";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { dynamoReleaseLock } from "../src/aws/lock-release";
import { dynamoLocksHeldBy } from "../src/aws/lock-query";
import { dynamoClient, lockTableName } from "../src/aws/lock-table";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import type { GameDayState } from "../src/core/gameday/state";
import { finishGameDay, type ReportPorts } from "../src/core/gameday/steps";

export const createBuildReport = (ports: ReportPorts) => (state: GameDayState) => finishGameDay(state, ports);

export const handler = lambdaEntry("build-report", () => {
  const client = fisClient();
  const dynamo = dynamoClient();
  const table = lockTableName();
  return createBuildReport({
    locks: { heldBy: dynamoLocksHeldBy(dynamo, table), release: dynamoReleaseLock(dynamo, table) },
    clock: systemClock,
    metrics: cloudWatchMetrics(),
    traces: xrayTraces(),
    experiments: { get: fisGetExperiment(client), listTagged: fisListTagged(client) },
  });
});
