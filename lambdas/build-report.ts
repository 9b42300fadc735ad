import { fisGetExperiment, fisResolvedTargets } from "../src/aws/fis";
import { fisClient } from "../src/aws/fis-client";
import { fisListTagged } from "../src/aws/fis-list";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { dynamoReleaseLock } from "../src/aws/lock-release";
import { dynamoLocksHeldBy } from "../src/aws/lock-query";
import { dynamoClient, lockTableName } from "../src/aws/lock-table";
import { cloudWatchMetrics } from "../src/aws/metrics";
import { systemClock } from "../src/aws/powertools";
import { xrayTraces } from "../src/aws/traces";
import { s3ReportOutbox } from "../src/aws/report-outbox";
import { ENVIRONMENT, requiredEnvironment } from "../src/core/contract/environment";
import { createBuildReport } from "../src/handlers/build-report";

export const handler = lambdaEntry("build-report", () => {
  const client = fisClient();
  const dynamo = dynamoClient();
  const table = lockTableName();
  return createBuildReport({
    locks: { heldBy: dynamoLocksHeldBy(dynamo, table), release: dynamoReleaseLock(dynamo, table) },
    clock: systemClock,
    metrics: cloudWatchMetrics(),
    traces: xrayTraces(),
    experiments: {
      get: fisGetExperiment(client),
      listTagged: fisListTagged(client),
      resolvedTargets: fisResolvedTargets(client),
    },
    outbox: s3ReportOutbox(requiredEnvironment(ENVIRONMENT.reportBucket)),
  });
});
