import { Duration } from "aws-cdk-lib";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import { Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { ENDED_WITHOUT_CLEANUP } from "../src/core/gameday/orphans";
import { EXECUTION_TAG } from "../src/core/gameday/state";
import { GameDayFunction } from "./function";
import { acknowledge } from "./nag";
import { fisArn, nagFisResource, TAGGED_EXPERIMENTS_ONLY } from "./orchestrator";

export interface OrphanGuardProps {
  stateMachine: IStateMachine;
  reportBus: IEventBus;
  deadLetters: IQueue;
}

/**
 * Pressing "Stop execution" ends a Standard execution at once, with no Catch and no cleanup state. This rule
 * sees the execution end and stops every experiment tagged with it, then reports the game day as ABORTED.
 */
export class OrphanGuard extends Construct {
  readonly rule: Rule;
  readonly function: GameDayFunction;

  constructor(scope: Construct, id: string, props: OrphanGuardProps) {
    super(scope, id);
    this.function = new GameDayFunction(this, "Guard", {
      entry: "guard-orphans",
      description: "Stops the FIS experiments of a game day that ended without its own cleanup",
      environment: { REPORT_BUS: props.reportBus.eventBusName },
    });
    const experiments = fisArn(this, "experiment");
    acknowledge(this.function, nagFisResource("experiment"), TAGGED_EXPERIMENTS_ONLY);
    this.function.role.addToPolicy(
      new PolicyStatement({ sid: "ListExperiments", actions: ["fis:ListExperiments"], resources: ["*"] }),
    );
    this.function.role.addToPolicy(
      new PolicyStatement({
        sid: "StopGameDayExperiments",
        actions: ["fis:GetExperiment", "fis:StopExperiment"],
        resources: [experiments],
        conditions: { Null: { [`aws:ResourceTag/${EXECUTION_TAG}`]: "false" } },
      }),
    );
    props.reportBus.grantPutEventsTo(this.function.role);

    this.rule = new Rule(this, "ExecutionEnded", {
      description: "A game day ended without reaching its own cleanup: stop its experiments",
      eventPattern: {
        source: ["aws.states"],
        detailType: ["Step Functions Execution Status Change"],
        detail: { status: [...ENDED_WITHOUT_CLEANUP], stateMachineArn: [props.stateMachine.stateMachineArn] },
      },
    });
    this.rule.addTarget(
      new LambdaFunction(this.function.function, {
        retryAttempts: 12,
        maxEventAge: Duration.hours(2),
        deadLetterQueue: props.deadLetters,
      }),
    );
  }
}
