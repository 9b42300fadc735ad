import { tellMissingReports } from "./reports";
import { Stack } from "aws-cdk-lib";
import { ManagedPolicy, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { EXECUTION_TAG, STATE_MACHINE_TAG } from "../src/core/gameday/state";
import { acknowledge, nagArnOf } from "./nag";
import { executionsArn, fisArn, nagExecutionsResource, nagFisResource, TAGGED_EXPERIMENTS_ONLY } from "./orchestrator";

export interface OperatorPolicyProps {
  stateMachine: StateMachine;
  reportBucket: IBucket;
}

/**
 * Everything the `gameday` CLI needs against this stack (start, watch, stop, list, report), as one managed policy
 * to attach to the roles SREs and pipelines use. Nothing more: it cannot change the stack or start other templates.
 */
export class OperatorPolicy extends Construct {
  readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: OperatorPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.policy = new ManagedPolicy(this, "Policy", {
      description: `The gameday CLI against stack ${stack.stackName}: start, watch, stop, approve, list and report game days`,
      statements: [
        new PolicyStatement({
          sid: "FindTheStack",
          actions: ["cloudformation:DescribeStacks"],
          resources: [stack.stackId],
        }),
        new PolicyStatement({
          sid: "StartAndListGameDays",
          actions: ["states:StartExecution", "states:ListExecutions"],
          resources: [props.stateMachine.stateMachineArn],
        }),
        new PolicyStatement({
          sid: "FollowAndStopGameDays",
          actions: ["states:DescribeExecution", "states:GetExecutionHistory", "states:StopExecution"],
          resources: [executionsArn(this, props.stateMachine)],
        }),
        new PolicyStatement({
          sid: "ReadReports",
          actions: ["s3:GetObject"],
          resources: [props.reportBucket.arnForObjects("reports/*")],
        }),
        // S3 answers a missing report with 403 unless the caller may list its prefix: `gameday report` must be able
        // to say "not stored yet".
        tellMissingReports(props.reportBucket),
        // `approve` and `reject` answer a game day's approval request through its task token. These calls take no
        // resource: the token, read from this stack's execution history, is what names the game day.
        new PolicyStatement({
          sid: "DecideApprovals",
          actions: ["states:SendTaskSuccess", "states:SendTaskFailure"],
          resources: ["*"],
        }),
        // FIS cannot filter its list by tag: `stop` pages through ListExperiments to find a game day's experiments.
        new PolicyStatement({ sid: "ListExperiments", actions: ["fis:ListExperiments"], resources: ["*"] }),
        // `watch` names the resources each running action acts on. Unconditioned: the Service Authorization
        // Reference lists no condition key for ListExperimentResolvedTargets, so a tag condition might never match.
        new PolicyStatement({
          sid: "ReadResolvedTargets",
          actions: ["fis:ListExperimentResolvedTargets"],
          resources: [fisArn(this, "experiment")],
        }),
        new PolicyStatement({
          sid: "ReadAndStopGameDayExperiments",
          actions: ["fis:GetExperiment", "fis:StopExperiment"],
          resources: [fisArn(this, "experiment")],
          conditions: {
            Null: { [`aws:ResourceTag/${EXECUTION_TAG}`]: "false" },
            StringEquals: { [`aws:ResourceTag/${STATE_MACHINE_TAG}`]: props.stateMachine.stateMachineArn },
          },
        }),
      ],
    });
    acknowledge(this.policy, nagFisResource("experiment"), TAGGED_EXPERIMENTS_ONLY);
    acknowledge(
      this.policy,
      nagExecutionsResource(props.stateMachine),
      "Execution names are chosen at start; these are the executions of this stack's state machine only.",
    );
    acknowledge(
      this.policy,
      `IAM5[Resource::${nagArnOf(props.reportBucket)}/reports/*]`,
      "Reports are objects named per plan and execution under reports/ in this stack's report bucket.",
    );
    acknowledge(
      this.policy,
      "IAM5[Resource::*]",
      "fis:ListExperiments, states:SendTaskSuccess and states:SendTaskFailure take no resource-level permissions.",
    );
  }
}
