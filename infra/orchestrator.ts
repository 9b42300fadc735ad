import { notificationTopicNameOf, stateMachineNameOf } from "../src/core/contract/stack-names";
import { Alias } from "aws-cdk-lib/aws-kms";
import { Topic } from "aws-cdk-lib/aws-sns";
import { Arn, ArnFormat, Aws, Duration, RemovalPolicy, Stack, Token, type CfnResource } from "aws-cdk-lib";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { PENDING_REPORTS_PREFIX } from "../src/core/report/reference";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { EXTRA_TEMPLATE_IDS_VARIABLE, PLAN_CATALOG_FILE, TEMPLATE_IDS_VARIABLE } from "../src/aws/catalogs";
import { EXECUTION_TIMEOUT_MS } from "../src/aws/executions";
import { EXECUTION_TAG, STATE_MACHINE_TAG } from "../src/core/gameday/state";
import { GAME_DAY_FUNCTION_ENTRIES, type GameDayFunctionKey } from "../src/core/contract/functions";
import { GameDayFunction } from "./function";
import { acknowledge, nagArnOf } from "./nag";
import type { RunLockTable } from "./run-lock-table";
import { PROJECT_ROOT } from "./sources";
import { ENVIRONMENT } from "../src/core/contract/environment";

export const DEFINITION_FILE = resolve(PROJECT_ROOT, "state-machines/game-day.asl.json");

export interface OrchestratorProps {
  /** The plan catalog file bundled with the validate-plan function. */
  planCatalogFile: string;
  /** Deployed template ids by template name (CloudFormation tokens). */
  templateIds: Record<string, string>;
  /** Ids of templates from elsewhere the state machine may start too. */
  extraTemplateIds?: string[];
  reportBus: IEventBus;
  /** The report step stores each whole report under pending/ for the store function. */
  reportBucket: IBucket;
  runLocks: RunLockTable;
}

/** Every FIS `resource` of the account and Region; the callers narrow it with tag conditions. */
export const fisArn = (scope: Construct, resource: "experiment" | "experiment-template", resourceName = "*") =>
  Arn.format(
    {
      service: "fis",
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      resource,
      resourceName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    },
    Stack.of(scope),
  );

/** cdk-nag's spelling of `fisArn(…, resource)` in a finding id. */
/**
 * The alarm mute rules of this stack's game days (`gameday-<stack>-Orchestrator-<execution>`), and how cdk-nag
 * names that wildcard.
 */
export const muteRulesArn = (scope: Construct) =>
  Arn.format(
    {
      service: "cloudwatch",
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      resource: "alarm-mute-rule",
      resourceName: `gameday-${stateMachineNameOf(Stack.of(scope).stackName)}-*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    Stack.of(scope),
  );
export const nagMuteRules = (scope: Construct) =>
  `IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm-mute-rule:gameday-${stateMachineNameOf(Stack.of(scope).stackName)}-*]`;
export const MUTE_RULES_ONLY =
  "Only this stack's game days' own mute rules, named gameday-<state machine>-<execution>: execution names exist only once started.";

export const nagFisResource = (resource: "experiment" | "experiment-template") =>
  `IAM5[Resource::arn:<AWS::Partition>:fis:<AWS::Region>:<AWS::AccountId>:${resource}/*]`;

/** State machine names are at most 80 characters; the stack's name makes two stacks' machines distinct. */
export function gameDayStateMachineName(stackName: string): string {
  const name = stateMachineNameOf(stackName);
  if (!Token.isUnresolved(stackName) && name.length > 80)
    throw new Error(
      `stack name ${stackName} is too long: the state machine's name (${name}) must be at most 80 characters`,
    );
  return name;
}

/** Every execution of `stateMachine`: execution names are chosen at start, so the name is a wildcard. */
export const executionsArn = (scope: Construct, stateMachine: StateMachine) =>
  Arn.format(
    {
      service: "states",
      region: Aws.REGION,
      account: Aws.ACCOUNT_ID,
      resource: "execution",
      resourceName: `${stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    Stack.of(scope),
  );

/** cdk-nag's spelling of `executionsArn(…, stateMachine)` in a finding id. */
export const nagExecutionsResource = (stateMachine: StateMachine) => {
  const machineId = Stack.of(stateMachine).getLogicalId(stateMachine.node.defaultChild as CfnResource);
  return `IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${machineId}.Name>:*]`;
};

export const TAGGED_EXPERIMENTS_ONLY =
  "FIS experiment ids exist only once started; the condition on the gameday:execution tag limits these calls " +
  "to experiments a game day started.";

/**
 * The game-day state machine, from the same ASL file the rehearsal runs, with its six Lambdas. Each
 * function's role holds only the calls its handler makes; the IAM completeness test holds them to that.
 */
export class Orchestrator extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<string, GameDayFunction>;
  readonly logGroup: LogGroup;
  /** Where the game days ask for approval. */
  readonly notifications: Topic;

  constructor(scope: Construct, id: string, props: OrchestratorProps) {
    super(scope, id);
    const experimentsOfGameDays = fisArn(this, "experiment");
    // The state machine's ARN from its name, not its reference: its own role and its Lambdas' roles name it, and
    // a reference would make them depend on the state machine that depends on them.
    const stateMachineName = gameDayStateMachineName(Stack.of(this).stackName);
    const ownStateMachine = Arn.format(
      {
        service: "states",
        resource: "stateMachine",
        resourceName: stateMachineName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      Stack.of(this),
    );
    /** Experiments this stack's game days started: their state machine tag is this one's ARN. */
    const ofThisStack = (prefix: "aws:ResourceTag" | "aws:RequestTag") => ({
      Null: { [`${prefix}/${EXECUTION_TAG}`]: "false" },
      StringEquals: { [`${prefix}/${STATE_MACHINE_TAG}`]: ownStateMachine },
    });
    const readProbes = () =>
      new PolicyStatement({
        sid: "ReadProbes",
        // GetMetricData and the X-Ray reads take no resource-level permissions; plans name any alarm at run time.
        actions: [
          "cloudwatch:DescribeAlarmHistory",
          "cloudwatch:DescribeAlarms",
          "cloudwatch:GetMetricData",
          "xray:GetServiceGraph",
          "xray:GetTimeSeriesServiceStatistics",
          "xray:GetTraceSummaries",
        ],
        resources: ["*"],
      });
    const readExperiments = () =>
      new PolicyStatement({
        sid: "ReadGameDayExperiments",
        actions: ["fis:GetExperiment"],
        resources: [experimentsOfGameDays],
        conditions: ofThisStack("aws:ResourceTag"),
      });
    // The report names what each experiment acted on, as FIS resolved its targets. Not conditioned on the
    // experiment's tags: the Service Authorization Reference lists no condition key for this action (GetExperiment
    // lists aws:ResourceTag), so a tag condition might never match on AWS. It only reads target ARNs.
    const readResolvedTargets = () =>
      new PolicyStatement({
        sid: "ReadResolvedTargets",
        actions: ["fis:ListExperimentResolvedTargets"],
        resources: [experimentsOfGameDays],
      });
    const listExperiments = () =>
      new PolicyStatement({ sid: "ListExperiments", actions: ["fis:ListExperiments"], resources: ["*"] });
    const stopExperiments = () =>
      new PolicyStatement({
        sid: "StopGameDayExperiments",
        actions: ["fis:StopExperiment"],
        resources: [experimentsOfGameDays],
        conditions: ofThisStack("aws:ResourceTag"),
      });

    // Validation resolves a template's targets to lock them: the template itself, and resources by tag.
    // The templates a game day may start: the stack's own and those allowed at deploy, by id. A tag would not do:
    // anyone allowed to tag a template could add it.
    const startableTemplates = [...Object.values(props.templateIds), ...(props.extraTemplateIds ?? [])].map((id) =>
      fisArn(this, "experiment-template", id),
    );
    const readOwnTemplates = () =>
      new PolicyStatement({
        sid: "ReadOwnTemplates",
        actions: ["fis:GetExperimentTemplate"],
        resources: startableTemplates.length ? startableTemplates : [fisArn(this, "experiment-template", "none")],
      });
    const findTaggedTargets = () =>
      new PolicyStatement({ sid: "FindTaggedTargets", actions: ["tag:GetResources"], resources: ["*"] });
    // Read-only: whether a calendar is OPEN or CLOSED now. Plans, inline ones included, may name any calendar of the
    // account; a calendar of another account (named by ARN) is not granted.
    const readChangeCalendars = () =>
      new PolicyStatement({
        sid: "ReadChangeCalendars",
        actions: ["ssm:GetCalendarState"],
        resources: [
          Arn.format(
            { service: "ssm", region: Aws.REGION, account: Aws.ACCOUNT_ID, resource: "document", resourceName: "*" },
            Stack.of(this),
          ),
        ],
      });
    // Read-only: what a template's experiment role may do, asked of IAM's policy simulator before anything starts.
    // Templates allowed at deploy may name any role of the account.
    const simulateExperimentRoles = () =>
      new PolicyStatement({
        sid: "SimulateExperimentRoles",
        actions: ["iam:SimulatePrincipalPolicy"],
        resources: [
          Arn.format(
            { service: "iam", region: "", account: Aws.ACCOUNT_ID, resource: "role", resourceName: "*" },
            Stack.of(this),
          ),
        ],
      });
    // Read-only: where the account sends its spans, and how many X-Ray indexes (Transaction Search).
    const readTraceDestination = () =>
      new PolicyStatement({
        sid: "ReadTraceDestination",
        actions: ["xray:GetTraceSegmentDestination", "xray:GetIndexingRules"],
        resources: ["*"],
      });
    // A steady system's pagers are muted for the game day (the plan's muteAlarmActions; any alarm of the account,
    // CloudWatch authorizes the rule and each alarm), and the mute is deleted at cleanup.
    const muteAlarmActions = () =>
      new PolicyStatement({
        sid: "MuteAlarmActions",
        actions: ["cloudwatch:PutAlarmMuteRule"],
        resources: [
          muteRulesArn(this),
          Arn.format(
            {
              service: "cloudwatch",
              region: Aws.REGION,
              account: Aws.ACCOUNT_ID,
              resource: "alarm",
              resourceName: "*",
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            },
            Stack.of(this),
          ),
        ],
      });
    const endAlarmMutes = () =>
      new PolicyStatement({
        sid: "EndAlarmMutes",
        actions: ["cloudwatch:DeleteAlarmMuteRule"],
        resources: [muteRulesArn(this)],
      });
    const grants: Record<GameDayFunctionKey, (() => PolicyStatement)[]> = {
      // Lists the account's live experiments and what they act on: another stack's game day on the same resources.
      ValidatePlan: [
        readOwnTemplates,
        findTaggedTargets,
        listExperiments,
        readResolvedTargets,
        readChangeCalendars,
        simulateExperimentRoles,
        readTraceDestination,
      ],
      CheckSteadyState: [readProbes, muteAlarmActions],
      ObserveFault: [readProbes, readExperiments],
      ObserveRecovery: [readProbes],
      StopEverything: [listExperiments, readExperiments, stopExperiments, endAlarmMutes],
      BuildReport: [readProbes, listExperiments, readExperiments, readResolvedTargets],
    };
    this.functions = {};
    for (const [key, entry] of Object.entries(GAME_DAY_FUNCTION_ENTRIES)) {
      const fn = new GameDayFunction(this, key, {
        entry: entry.file,
        description: entry.description,
        ...(key === "ValidatePlan"
          ? {
              environment: {
                [TEMPLATE_IDS_VARIABLE]: Stack.of(this).toJsonString(props.templateIds),
                [EXTRA_TEMPLATE_IDS_VARIABLE]: (props.extraTemplateIds ?? []).join(","),
              },
              files: { [PLAN_CATALOG_FILE]: props.planCatalogFile },
            }
          : key === "BuildReport"
            ? { environment: { [ENVIRONMENT.reportBucket]: props.reportBucket.bucketName } }
            : {}),
      });
      const statements = grants[key as GameDayFunctionKey].map((statement) => statement());
      for (const statement of statements) fn.role.addToPolicy(statement);
      if (statements.some((s) => s.resources.includes(experimentsOfGameDays)))
        acknowledge(fn, nagFisResource("experiment"), TAGGED_EXPERIMENTS_ONLY);
      if (key === "CheckSteadyState" || key === "StopEverything") acknowledge(fn, nagMuteRules(this), MUTE_RULES_ONLY);
      if (key === "CheckSteadyState")
        acknowledge(
          fn,
          "IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*]",
          "Plans name the alarms whose actions a game day mutes at run time (inline plans included); the alarms keep evaluating.",
        );
      if (key === "ValidatePlan") {
        props.runLocks.grantTakeAndRelease(fn);
        acknowledge(
          fn,
          "IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:document/*]",
          "Plans name their change calendars at run time (inline plans included); GetCalendarState only reads whether one is OPEN.",
        );
        acknowledge(
          fn,
          "IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]",
          "Templates allowed at deploy name their experiment roles; SimulatePrincipalPolicy only reads what a role may do, before anything is injected.",
        );
      }
      if (key === "BuildReport") {
        props.runLocks.grantFindAndRelease(fn);
        fn.role.addToPolicy(
          new PolicyStatement({
            sid: "StoreWholeReports",
            actions: ["s3:PutObject"],
            resources: [props.reportBucket.arnForObjects(`${PENDING_REPORTS_PREFIX}*`)],
          }),
        );
        acknowledge(
          fn,
          `IAM5[Resource::${nagArnOf(props.reportBucket)}/${PENDING_REPORTS_PREFIX}*]`,
          "Whole reports go to pending/<plan>/<execution>.json, known only when a game day ends; put only.",
        );
      }
      this.functions[key] = fn;
    }

    // Approval requests (and later other notices) go here; subscribe people, AWS Chatbot or a pager to it.
    this.notifications = new Topic(this, "Notifications", {
      topicName: notificationTopicNameOf(Stack.of(this).stackName),
      displayName: "gameday",
      enforceSSL: true,
      masterKey: Alias.fromAliasName(this, "NotificationsKey", "alias/aws/sns"),
    });
    this.logGroup = new LogGroup(this, "ExecutionLogs", {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineName,
      comment: "gameday: runs one game day from a plan",
      definitionBody: DefinitionBody.fromString(readFileSync(DEFINITION_FILE, "utf8")),
      definitionSubstitutions: {
        ...Object.fromEntries(
          Object.entries(this.functions).map(([key, fn]) => [`${key}FunctionArn`, fn.function.functionArn]),
        ),
        ReportBusName: props.reportBus.eventBusName,
        NotificationTopicArn: this.notifications.topicArn,
      },
      stateMachineType: StateMachineType.STANDARD,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
      timeout: Duration.millis(EXECUTION_TIMEOUT_MS),
    });
    // The ASL invokes the unqualified function ARNs, so no version or alias (`:*`) grant is needed.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        sid: "InvokeGameDayFunctions",
        actions: ["lambda:InvokeFunction"],
        resources: Object.values(this.functions).map((fn) => fn.function.functionArn),
      }),
    );
    // The state machine may start only the templates this stack deployed or was told to allow, by id ...
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        sid: "StartOwnTemplates",
        actions: ["fis:StartExperiment"],
        resources: startableTemplates.length ? startableTemplates : [fisArn(this, "experiment-template", "none")],
      }),
    );
    // ... and the experiments it creates must carry the execution and state machine tags cleanup and the orphan
    // guard look for.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        sid: "CreateTaggedExperiments",
        actions: ["fis:StartExperiment", "fis:TagResource"],
        resources: [experimentsOfGameDays],
        conditions: ofThisStack("aws:RequestTag"),
      }),
    );
    this.stateMachine.addToRolePolicy(stopExperiments());
    props.reportBus.grantPutEventsTo(this.stateMachine);
    // The approval request: publishing to the topic is all the callback needs of the role.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        sid: "AskForApproval",
        actions: ["sns:Publish"],
        resources: [this.notifications.topicArn],
      }),
    );
    acknowledge(this.stateMachine, nagFisResource("experiment"), TAGGED_EXPERIMENTS_ONLY);
    acknowledge(
      this.stateMachine,
      "IAM5[Resource::*]",
      "Added by aws-cdk for logging level ALL and X-Ray tracing: the Logs delivery APIs (CreateLogDelivery and " +
        "friends, DescribeLogGroups, DescribeResourcePolicies, PutResourcePolicy) and X-Ray's PutTraceSegments, " +
        "PutTelemetryRecords, GetSamplingRules and GetSamplingTargets take no resource-level permissions.",
    );
  }
}
