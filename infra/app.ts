import { DEFAULT_STACK_NAME } from "../src/core/contract/stack-names";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { GameDayStack, type GameDayStackProps } from "./stack";

export interface GameDayAppOptions extends GameDayStackProps {
  stackName?: string;
  outdir?: string;
  /** CloudFormation's own template validation at synth; slow (~3 s), so tests turn it off where unneeded. */
  cloudFormationValidation?: boolean;
  /** CDK context, as `-c key=value` gives it on the command line. */
  context?: Record<string, unknown>;
  /**
   * The account and Region to synthesize for, as `cdk deploy` resolves them from the credentials.
   * @default CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION (environment-agnostic when unset)
   */
  target?: { account?: string; region?: string };
}

/** The CDK app: one GameDayStack, checked by cdk-nag's AwsSolutions rules at synth. */
export function gameDayApp(options: GameDayAppOptions = {}): { app: App; stack: GameDayStack } {
  const {
    stackName = DEFAULT_STACK_NAME,
    outdir,
    cloudFormationValidation = true,
    context,
    target = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    ...stackProps
  } = options;
  const app = new App({
    ...(outdir ? { outdir } : {}),
    ...(context ? { context } : {}),
    ...(cloudFormationValidation ? {} : { builtinCloudFormationValidation: false }),
  });
  const stack = new GameDayStack(app, stackName, {
    ...stackProps,
    env: target,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** Which account and Region a synth targets, in words: `cdk synth` alone would not say. */
export function describeTarget(stackName: string, env: { account?: string; region?: string }): string {
  const where =
    env.account && env.region
      ? `account ${env.account}, Region ${env.region}`
      : `no account or Region (environment-agnostic: ${[!env.account && "account", !env.region && "Region"].filter(Boolean).join(" and ")} unset; set AWS_PROFILE or AWS_REGION, or run it through npx cdk)`;
  return `gameday: stack ${stackName} for ${where}`;
}
