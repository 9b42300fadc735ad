import { DEFAULT_STACK_NAME } from "../src/core/contract/stack-names";
import { describeTarget, gameDayApp } from "./app";
import { StackTargetError } from "./stack";
import { InvalidSourcesError } from "./sources";
import { ExperimentTemplateError } from "./experiments/experiment-template";

// `npx cdk synth` / `npx cdk deploy` run this file (see cdk.json). Context values override the defaults:
//   npx cdk deploy -c plans=./my-plans -c templates=./my-templates -c stackName=GameDayProd
//   npx cdk deploy -c extraTemplateIds=EXTa1b2c3d4e5f6g7
const context = (key: string): string | undefined => {
  const raw = process.env.CDK_CONTEXT_JSON
    ? (JSON.parse(process.env.CDK_CONTEXT_JSON) as Record<string, unknown>)[key]
    : undefined;
  return typeof raw === "string" ? raw : undefined;
};

const { app } = runOrExplain(() =>
  gameDayApp({
    ...(context("stackName") ? { stackName: context("stackName") } : {}),
    ...(context("plans") ? { plansDirectory: context("plans") } : {}),
    ...(context("templates") ? { templatesDirectory: context("templates") } : {}),
    // Templates from elsewhere that plans may name by id, e.g. -c extraTemplateIds=EXTa1b2c3,EXTd4e5f6
    ...(context("extraTemplateIds") ? { extraTemplateIds: context("extraTemplateIds")!.split(",") } : {}),
  }),
);
const stackName = context("stackName") ?? DEFAULT_STACK_NAME;
console.error(
  describeTarget(stackName, { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }),
);
runOrExplain(() => app.synth());

/**
 * What the user can fix stops synth with its own words, not a stack trace: a Region without FIS, plans or
 * templates that do not validate (each problem on a line, with its file and JSON path).
 */
function runOrExplain<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (!(
      error instanceof StackTargetError ||
      error instanceof InvalidSourcesError ||
      error instanceof ExperimentTemplateError
    ))
      throw error;
    console.error(`gameday: ${error.message}`);
    process.exit(1);
  }
}
