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
import type { ReportStore } from "../src/core/ports";
import { fullReportKey, reportSummary } from "../src/core/report/reference";
import { s3ReportOutbox } from "../src/aws/report-outbox";
import { finishGameDay, type ReportPorts } from "../src/core/gameday/steps";
import { ENVIRONMENT, requiredEnvironment } from "../src/core/contract/environment";

/**
 * Builds the report, stores it whole for the store function (pending/<plan>/<execution>.json), and hands the state
 * machine a bounded summary: a report grows with probes × duration, and a state may hold 256 KiB at most.
 */
export const createBuildReport =
  (ports: ReportPorts & { outbox: Pick<ReportStore, "put"> }) => async (state: GameDayState) => {
    const finished = await finishGameDay(state, ports);
    const report = finished.report!;
    await ports.outbox.put(fullReportKey(report), JSON.stringify(report), "application/json");
    return { ...finished, report: reportSummary(report) };
  };

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
    outbox: s3ReportOutbox(requiredEnvironment(ENVIRONMENT.reportBucket)),
  });
});
