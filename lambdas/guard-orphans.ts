import { sfnExecutions } from "../src/aws/executions";
import { fisExperiments } from "../src/aws/fis-control";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { dynamoReleaseLock } from "../src/aws/lock-release";
import { dynamoLocksHeldBy } from "../src/aws/lock-query";
import { dynamoClient, lockTableName } from "../src/aws/lock-table";
import { systemClock } from "../src/aws/powertools";
import { eventBridgeReports } from "../src/aws/report-publisher";
import { s3ReportReader } from "../src/aws/report-reader";
import { ENVIRONMENT, requiredEnvironment } from "../src/core/contract/environment";
import { createGuardOrphans } from "../src/handlers/guard-orphans";
import { deleteAlarmMute } from "../src/aws/alarm-mutes";

export const handler = lambdaEntry("guard-orphans", () => {
  const dynamo = dynamoClient();
  const table = lockTableName();
  return createGuardOrphans({
    experiments: fisExperiments(),
    locks: { heldBy: dynamoLocksHeldBy(dynamo, table), release: dynamoReleaseLock(dynamo, table) },
    executions: sfnExecutions(requiredEnvironment(ENVIRONMENT.stateMachineArn)),
    publisher: eventBridgeReports(requiredEnvironment(ENVIRONMENT.reportBus)),
    reports: s3ReportReader(requiredEnvironment(ENVIRONMENT.reportBucket)),
    stateMachine: requiredEnvironment(ENVIRONMENT.stateMachineArn),
    clock: systemClock,
    mutes: { unmute: deleteAlarmMute() },
  });
});
