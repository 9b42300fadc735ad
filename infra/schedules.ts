import { TimeZone } from "aws-cdk-lib";
import { Schedule, ScheduleExpression, ScheduleTargetInput } from "aws-cdk-lib/aws-scheduler";
import { StepFunctionsStartExecution } from "aws-cdk-lib/aws-scheduler-targets";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { IStateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import type { PlanInput } from "../src/core/plan/schema";

export interface ScheduledRunsProps {
  plans: Map<string, PlanInput>;
  stateMachine: IStateMachine;
  deadLetters: IQueue;
}

/** One EventBridge Scheduler schedule per plan that declares `schedule`; each starts `{"plan": "<name>"}`. */
export class ScheduledRuns extends Construct {
  readonly schedules = new Map<string, Schedule>();

  constructor(scope: Construct, id: string, props: ScheduledRunsProps) {
    super(scope, id);
    for (const [name, plan] of props.plans) {
      if (!plan.schedule) continue;
      const schedule = new Schedule(this, name, {
        description: `gameday: ${name} on ${plan.schedule.expression} (${plan.schedule.timezone ?? "UTC"})`,
        schedule: ScheduleExpression.expression(plan.schedule.expression, TimeZone.of(plan.schedule.timezone ?? "UTC")),
        target: new StepFunctionsStartExecution(props.stateMachine, {
          input: ScheduleTargetInput.fromObject({ plan: name }),
          deadLetterQueue: props.deadLetters,
          retryAttempts: 3,
        }),
      });
      this.schedules.set(name, schedule);
    }
  }
}
