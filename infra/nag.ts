import { Stack, Validations, type CfnResource } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * Records why a cdk-nag AwsSolutions finding on `scope` (and below) is accepted. Every call names the rule
 * and, for wildcard findings, the exact resource, so a new wildcard elsewhere still fails synthesis.
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${rule}`, reason });
}

/** The `<LogicalId.Arn>` form cdk-nag uses for a resource's ARN inside a finding id. */
export function nagArnOf(resource: IConstruct): string {
  const stack = Stack.of(resource);
  return `<${stack.getLogicalId(resource.node.defaultChild as CfnResource)}.Arn>`;
}
