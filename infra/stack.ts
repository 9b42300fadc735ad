import { Aws, CfnOutput, RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { STACK_OUTPUTS } from "../src/core/contract/states";
import { Rule } from "aws-cdk-lib/aws-events";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { resolve } from "node:path";
import { GameDayDashboards, overviewDashboardName, planDashboardName } from "./dashboards";
import { ExperimentRole, type OptInTag } from "./experiments/experiment-role";
import { ExperimentTemplate } from "./experiments/experiment-template";
import { EventLogDelivery } from "./log-group-target";
import { OperatorPolicy } from "./operator-policy";
import { OrphanGuard } from "./orphan-guard";
import { Orchestrator } from "./orchestrator";
import { ReportStorage } from "./reports";
import { RunLockTable } from "./run-lock-table";
import { ScheduledRuns } from "./schedules";
import { regionRefusal } from "./regions";
import { loadStackSources, PROJECT_ROOT, stagePlanCatalog } from "./sources";

export interface GameDayStackProps extends StackProps {
  /** Plans shipped with the stack, startable as `{"plan": "<name>"}`. Default: plans/. */
  plansDirectory?: string;
  /** FIS templates in the public library's JSON format, deployed by file name. Default: templates/. */
  templatesDirectory?: string;
  /** The tag a resource must carry for FIS to touch it. Default: FIS-Ready=True. */
  optInTag?: OptInTag;
  /**
   * Ids of FIS templates from elsewhere that plans may name by `id`. Only these and the stack's own can be started;
   * each is checked for a CloudWatch alarm stop condition before a game day starts it.
   */
  extraTemplateIds?: string[];
}

/** FIS template ids given at deploy time, refused at synth when one is not an id. */
export function checkedTemplateIds(ids: string[]): string[] {
  for (const id of ids)
    if (!/^EXT[A-Za-z0-9]{1,62}$/.test(id))
      throw new Error(
        `extraTemplateIds: "${id}" is not an FIS experiment template id (EXT followed by letters and digits)`,
      );
  return [...new Set(ids)];
}

/** The stack cannot be deployed where it is aimed: `npx cdk` prints the message alone, in one line. */
export class StackTargetError extends Error {
  override readonly name = "StackTargetError";
}

const console = (region: string, path: string) => `https://${region}.console.aws.amazon.com/${path}`;

/** Everything gameday runs on in one account and Region. */
export class GameDayStack extends Stack {
  readonly orchestrator: Orchestrator;
  readonly reports: ReportStorage;
  readonly templates = new Map<string, ExperimentTemplate>();
  readonly experimentRole: ExperimentRole;
  readonly orphanGuard: OrphanGuard;
  readonly runLocks: RunLockTable;
  readonly schedules: ScheduledRuns;
  readonly dashboards: GameDayDashboards;

  constructor(scope: Construct, id: string, props: GameDayStackProps = {}) {
    super(scope, id, { description: "gameday: chaos-engineering game days with Step Functions and AWS FIS", ...props });
    const refusal = regionRefusal(this.region);
    if (refusal) throw new StackTargetError(refusal);
    const sources = loadStackSources(
      props.plansDirectory ?? resolve(PROJECT_ROOT, "plans"),
      props.templatesDirectory ?? resolve(PROJECT_ROOT, "templates"),
    );

    const eventLogs = new EventLogDelivery(this, "EventLogDelivery");
    this.reports = new ReportStorage(this, "Reports", {
      eventLogs,
      planDashboardPrefix: planDashboardName(this.stackName, ""),
    });
    const experimentLogs = new LogGroup(this, "ExperimentLogs", {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.experimentRole = new ExperimentRole(
      this,
      "ExperimentRole",
      props.optInTag ? { optInTag: props.optInTag } : {},
    );

    // A template's FIS report snapshots the dashboard of the first plan that uses it.
    const planOfTemplate = new Map<string, string>();
    for (const [planName, plan] of sources.plans) {
      for (const stage of plan.stages)
        for (const e of stage.experiments)
          if ("name" in e.template && !planOfTemplate.has(e.template.name))
            planOfTemplate.set(e.template.name, planName);
    }
    for (const [name, { document, file }] of sources.templates) {
      const plan = planOfTemplate.get(name);
      this.templates.set(
        name,
        new ExperimentTemplate(this, `Template-${name}`, {
          name,
          document,
          source: file,
          role: this.experimentRole.role,
          logGroup: experimentLogs,
          reportBucket: this.reports.bucket,
          ...(plan ? { dashboardName: planDashboardName(this.stackName, plan) } : {}),
        }),
      );
    }
    this.experimentRole.grantTemplates([...this.templates.values()], this.reports.bucket);

    this.runLocks = new RunLockTable(this, "RunLocks");
    this.orchestrator = new Orchestrator(this, "Orchestrator", {
      runLocks: this.runLocks,
      planCatalogFile: stagePlanCatalog(sources.plans),
      templateIds: Object.fromEntries([...this.templates].map(([name, t]) => [name, t.templateId])),
      extraTemplateIds: checkedTemplateIds(props.extraTemplateIds ?? []),
      reportBus: this.reports.bus,
      reportBucket: this.reports.bucket,
    });
    const stateMachine = this.orchestrator.stateMachine;
    this.orphanGuard = new OrphanGuard(this, "OrphanGuard", {
      stateMachine,
      reportBus: this.reports.bus,
      reportBucket: this.reports.bucket,
      deadLetters: this.reports.deadLetters,
      runLocks: this.runLocks,
    });
    this.reports.acceptReportsOnlyFrom([stateMachine.role, this.orphanGuard.function.function.role!]);
    this.schedules = new ScheduledRuns(this, "Schedules", {
      plans: sources.plans,
      stateMachine,
      deadLetters: this.reports.deadLetters,
    });

    // FIS state changes feed the "experiments running now" widget.
    const experimentEvents = new LogGroup(this, "ExperimentEvents", { retention: RetentionDays.THREE_MONTHS });
    new Rule(this, "ExperimentStateChanges", {
      description: "Every FIS experiment state change, for the overview dashboard",
      eventPattern: { source: ["aws.fis"], detailType: ["FIS Experiment State Change"] },
      targets: [eventLogs.target(experimentEvents)],
    });

    this.dashboards = new GameDayDashboards(this, "Dashboards", {
      stackName: this.stackName,
      plans: sources.plans,
      stateMachine,
      reportLogGroup: this.reports.logGroup,
      experimentEventsLogGroup: experimentEvents,
    });

    new CfnOutput(this, STACK_OUTPUTS.stateMachineConsole, {
      description: 'Start a game day here: "Start execution" with {"plan": "<name>"}',
      value: console(
        Aws.REGION,
        `states/home?region=${Aws.REGION}#/statemachines/view/${stateMachine.stateMachineArn}`,
      ),
    });
    new CfnOutput(this, STACK_OUTPUTS.stateMachineArn, { value: stateMachine.stateMachineArn });
    new CfnOutput(this, STACK_OUTPUTS.notificationTopicArn, {
      description: "Approval requests: subscribe the people (or AWS Chatbot) who decide whether a game day may inject",
      value: this.orchestrator.notifications.topicArn,
    });
    new CfnOutput(this, STACK_OUTPUTS.overviewDashboard, {
      value: console(
        Aws.REGION,
        `cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${overviewDashboardName(this.stackName)}`,
      ),
    });
    for (const name of sources.plans.keys()) {
      new CfnOutput(this, `Dashboard-${name}`, {
        description: `Dashboard of plan ${name}`,
        value: console(
          Aws.REGION,
          `cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${planDashboardName(this.stackName, name)}`,
        ),
      });
    }
    new CfnOutput(this, STACK_OUTPUTS.reportBucket, { value: this.reports.bucket.bucketName });
    const operator = new OperatorPolicy(this, "Operator", {
      stateMachine,
      reportBucket: this.reports.bucket,
    });
    new CfnOutput(this, STACK_OUTPUTS.operatorPolicyArn, {
      description: "Attach to the roles that run the gameday CLI: start, watch, stop, list and report game days",
      value: operator.policy.managedPolicyArn,
    });
    new CfnOutput(this, STACK_OUTPUTS.reportBus, { value: this.reports.bus.eventBusName });
    new CfnOutput(this, STACK_OUTPUTS.reportLogGroup, { value: this.reports.logGroup.logGroupName });
    new CfnOutput(this, STACK_OUTPUTS.lambdaFaultConfiguration, {
      value: `s3://${this.reports.bucket.bucketName}/fis-lambda-config/`,
      description:
        "Set each Lambda function targeted by aws:lambda:* actions to read its fault configuration here " +
        "(AWS_FIS_CONFIGURATION_LOCATION, with the FIS extension layer and s3:GetObject/ListBucket on it)",
    });
  }
}
