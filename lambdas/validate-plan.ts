import { deployedCatalogs } from "../src/aws/catalogs";
import { lambdaEntry } from "../src/aws/lambda-entry";
import { systemClock } from "../src/aws/powertools";
import { fisClient } from "../src/aws/fis-client";
import { fisTemplateStopConditions, fisTemplateTargets } from "../src/aws/fis-template";
import { fisResolvedTargets } from "../src/aws/fis";
import { fisLiveSummaries } from "../src/aws/fis-list";
import { dynamoReleaseLock } from "../src/aws/lock-release";
import { dynamoClient, lockTableName } from "../src/aws/lock-table";
import { dynamoTakeLock } from "../src/aws/lock-take";
import { taggedResources, taggedResourcesWithTags } from "../src/aws/tagged-resources";
import { createValidatePlan } from "../src/handlers/validate-plan";
import { ssmChangeCalendars } from "../src/aws/change-calendars";
import { fisTemplateActions, iamPolicySimulator } from "../src/aws/iam-permissions";
import { xrayTraceDestination } from "../src/aws/traces";

export const handler = lambdaEntry("validate-plan", () => {
  const dynamo = dynamoClient();
  const table = lockTableName();
  return createValidatePlan({
    ...deployedCatalogs(fisTemplateStopConditions(fisClient())),
    clock: systemClock,
    locks: { take: dynamoTakeLock(dynamo, table), release: dynamoReleaseLock(dynamo, table) },
    targets: {
      templateTargets: fisTemplateTargets(fisClient()),
      taggedResources: taggedResources(),
      taggedResourcesWithTags: taggedResourcesWithTags(),
    },
    experiments: { liveSummaries: fisLiveSummaries(fisClient()), resolvedTargets: fisResolvedTargets(fisClient()) },
    calendars: ssmChangeCalendars(),
    permissions: { templateActions: fisTemplateActions(fisClient()), denied: iamPolicySimulator() },
    traceDestination: xrayTraceDestination(),
  });
});
