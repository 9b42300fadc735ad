import { Token } from "aws-cdk-lib";

/**
 * Regions whose CloudFormation has no `AWS::FIS::ExperimentTemplate`: a stack synthesized there would fail at
 * deploy, after minutes, on its first template. Source: cfn-lint 1.51.0's provider schemas (rule E3006), which
 * follow CloudFormation's published resource specification per Region. Re-read them when cfn-lint is updated.
 */
export const REGIONS_WITHOUT_FIS_TEMPLATES: ReadonlySet<string> = new Set([
  "ap-east-2",
  "ap-south-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-west-1",
  "cn-north-1",
  "cn-northwest-1",
  "il-central-1",
  "mx-central-1",
]);

/** The reason a stack cannot be deployed to `region`, or undefined when it can (or the Region is not known yet). */
export function regionRefusal(region: string): string | undefined {
  if (Token.isUnresolved(region) || !REGIONS_WITHOUT_FIS_TEMPLATES.has(region)) return undefined;
  return (
    `Region ${region} has no AWS::FIS::ExperimentTemplate in CloudFormation, so the stack cannot deploy there: ` +
    `choose a Region with FIS templates (set AWS_REGION or CDK_DEFAULT_REGION, e.g. eu-central-1 or us-east-1)`
  );
}
