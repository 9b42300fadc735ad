import { tellMissingReports } from "./reports";
import { Duration, Stack } from "aws-cdk-lib";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import { Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Schedule, ScheduleExpression, ScheduleTargetInput } from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import { Construct } from "constructs";
import { ENDED_WITHOUT_CLEANUP } from "../src/core/gameday/orphans";
import { EXECUTION_TAG, STATE_MACHINE_TAG } from "../src/core/gameday/state";
import { GameDayFunction } from "./function";
import { DEFAULT_LOOKBACK_SECONDS } from "../src/handlers/guard-orphans";
import type { RunLockTable } from "./run-lock-table";
import { acknowledge, nagArnOf } from "./nag";
import {
  executionsArn,
  fisArn,
  MUTE_RULES_ONLY,
  muteRulesArn,
  nagExecutionsResource,
  nagFisResource,
  nagMuteRules,
  TAGGED_EXPERIMENTS_ONLY,
} from "./orchestrator";
import { ENVIRONMENT } from "../src/core/contract/environment";

export interface OrphanGuardProps {
  stateMachine: StateMachine;
  reportBus: IEventBus;
  /** The guard reads it to see whether an ended execution's report is stored. */
  reportBucket: IBucket;
  deadLetters: IQueue;
  runLocks: RunLockTable;
}

/** How often the guard sweeps for experiments that outlived their game day. */
export const SWEEP_EVERY = Duration.minutes(5);

/**
 * Pressing "Stop execution" ends a Standard execution at once, with no Catch and no cleanup state. This rule
 * sees the execution end and stops every experiment tagged with it, then reports the game day as ABORTED. A
 * schedule runs the same function every five minutes as a sweep, because the status-change event is delivered
 * on a best-effort basis and a workflow can hang past its deadline.
 */
export class OrphanGuard extends Construct {
  readonly rule: Rule;
  readonly sweep: Schedule;
  readonly function: GameDayFunction;

  constructor(scope: Construct, id: string, props: OrphanGuardProps) {
    super(scope, id);
    this.function = new GameDayFunction(this, "Guard", {
      entry: "guard-orphans",
      description: "Stops the FIS experiments of a game day that ended without its own cleanup",
      environment: {
        [ENVIRONMENT.reportBus]: props.reportBus.eventBusName,
        [ENVIRONMENT.reportBucket]: props.reportBucket.bucketName,
        [ENVIRONMENT.stateMachineArn]: props.stateMachine.stateMachineArn,
      },
      asyncFailures: props.deadLetters,
    });
    props.runLocks.grantFindAndRelease(this.function);
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
        conditions: {
          Null: { [`aws:ResourceTag/${EXECUTION_TAG}`]: "false" },
          StringEquals: { [`aws:ResourceTag/${STATE_MACHINE_TAG}`]: props.stateMachine.stateMachineArn },
        },
      }),
    );
    props.reportBus.grantPutEventsTo(this.function.role);
    const stack = Stack.of(this);
    this.function.role.addToPolicy(
      new PolicyStatement({
        sid: "ListEndedGameDays",
        actions: ["states:ListExecutions"],
        resources: [props.stateMachine.stateMachineArn],
      }),
    );
    this.function.role.addToPolicy(
      new PolicyStatement({
        sid: "DescribeGameDays",
        // The history holds the report a failed execution built, for when its own delivery failed.
        actions: ["states:DescribeExecution", "states:GetExecutionHistory"],
        resources: [executionsArn(this, props.stateMachine)],
      }),
    );
    this.function.role.addToPolicy(
      new PolicyStatement({
        sid: "SeeStoredReports",
        actions: ["s3:GetObject"],
        resources: [props.reportBucket.arnForObjects("reports/*")],
      }),
    );
    // An execution stopped from outside never reached its cleanup: the guard ends its alarm mute.
    this.function.role.addToPolicy(
      new PolicyStatement({
        sid: "EndAlarmMutes",
        actions: ["cloudwatch:DeleteAlarmMuteRule"],
        resources: [muteRulesArn(this)],
      }),
    );
    acknowledge(this.function, nagMuteRules(this), MUTE_RULES_ONLY);
    // Without ListBucket a missing report answers 403 instead of 404; the guard may list only under reports/.
    this.function.role.addToPolicy(tellMissingReports(props.reportBucket));
    acknowledge(
      this.function,
      `IAM5[Resource::${nagArnOf(props.reportBucket)}/reports/*]`,
      "Report keys (reports/<plan>/<execution>.json) are known only when a game day ends; the guard only reads them.",
    );
    acknowledge(
      this.function,
      nagExecutionsResource(props.stateMachine),
      "Executions of the game-day state machine, by name; execution ARNs exist only once started.",
    );

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

    this.sweep = new Schedule(this, "Sweep", {
      description: "gameday: stop experiments whose game day ended or passed its deadline",
      schedule: ScheduleExpression.rate(SWEEP_EVERY),
      target: new LambdaInvoke(this.function.function, {
        input: ScheduleTargetInput.fromObject({ sweep: true, lookbackSeconds: DEFAULT_LOOKBACK_SECONDS }),
        deadLetterQueue: props.deadLetters,
        retryAttempts: 3,
      }),
    });
    // EventBridge Scheduler's target role (created by aws-cdk at stack level) may invoke any version of the guard.
    acknowledge(
      stack,
      `IAM5[Resource::${nagArnOf(this.function.function)}:*]`,
      "The scheduler's target role may invoke the orphan guard function and its versions; nothing else.",
    );
  }
}
