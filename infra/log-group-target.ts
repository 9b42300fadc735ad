import { Lazy, Stack } from "aws-cdk-lib";
import type { IRule, IRuleTarget, RuleTargetConfig } from "aws-cdk-lib/aws-events";
import {
  addToDeadLetterQueueResourcePolicy,
  bindBaseTargetConfig,
  type TargetBaseProps,
} from "aws-cdk-lib/aws-events-targets";
import { PolicyDocument, PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { CfnResourcePolicy, type ILogGroup } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/**
 * Lets EventBridge rules write events to the stack's log groups, through one CloudWatch Logs resource policy.
 *
 * aws-events-targets' CloudWatchLogGroup installs that policy with a Lambda-backed custom resource per rule; a
 * plain AWS::Logs::ResourcePolicy needs no Lambda, and one policy for the whole stack stays well within the
 * account's limit of 10 Logs resource policies per Region.
 */
export class EventLogDelivery extends Construct {
  private readonly logGroups: ILogGroup[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    new CfnResourcePolicy(this, "Policy", {
      policyName: `${stack.stackName}-event-delivery`,
      // Lazy: targets register their log groups after this construct exists.
      policyDocument: Lazy.string({ produce: () => stack.toJsonString(this.document().toJSON()) }),
    });
  }

  /** A rule target writing each event to `logGroup` as one JSON log line. */
  target(logGroup: ILogGroup, props: TargetBaseProps = {}): IRuleTarget {
    this.logGroups.push(logGroup);
    return {
      bind: (rule: IRule): RuleTargetConfig => {
        if (props.deadLetterQueue) addToDeadLetterQueueResourcePolicy(rule, props.deadLetterQueue);
        return { ...bindBaseTargetConfig(props), arn: logGroup.logGroupArn, targetResource: logGroup };
      },
    };
  }

  private document(): PolicyDocument {
    return new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: "EventBridgeWritesEvents",
          principals: [
            new ServicePrincipal("events.amazonaws.com"),
            new ServicePrincipal("delivery.logs.amazonaws.com"),
          ],
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: this.logGroups.map((group) => group.logGroupArn),
        }),
      ],
    });
  }
}
