import { reportBusNameOf } from "../src/core/contract/stack-names";
import { Arn, Aws, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement, type IRole } from "aws-cdk-lib/aws-iam";
import { CfnEventBus, EventBus, Rule } from "aws-cdk-lib/aws-events";
import { LambdaFunction } from "aws-cdk-lib/aws-events-targets";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  BlockPublicAccess,
  Bucket,
  type IBucket,
  BucketEncryption,
  ObjectOwnership,
  StorageClass,
} from "aws-cdk-lib/aws-s3";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { EventLogDelivery } from "./log-group-target";
import { acknowledge, nagArnOf } from "./nag";
import { REPORT_EVENT } from "../src/core/report/storage";
import { GameDayFunction } from "./function";
import { CHART_LIBRARY_FILES, chartLibraryFile } from "../src/assets/chart-library";
import { ENVIRONMENT } from "../src/core/contract/environment";

/**
 * Where reports go: the state machine and the orphan guard put each report on a custom bus; one rule stores
 * it in a log group (for Logs Insights and the overview dashboard) and, through a Lambda, in S3 as JSON and
 * Markdown while recording per-plan metrics. Deliveries that fail land in a dead-letter queue, not nowhere.
 */
export interface ReportStorageProps {
  eventLogs: EventLogDelivery;
  /** Name prefix of the per-plan dashboards the store function marks with each run (see GameDayDashboards). */
  planDashboardPrefix?: string;
}

/**
 * ListBucket on the report bucket: without it S3 answers GetObject of a missing key with 403 AccessDenied, not 404
 * (S3 API Reference, GetObject), so a reader could never tell "not stored yet" from "not allowed". Unconditioned:
 * whether a grant limited by `s3:prefix` counts for that answer is not documented (aws-facts §8), and the rehearsal
 * holds that it does not. It reveals only the names of reports, which every holder may read anyway.
 */
export const tellMissingReports = (bucket: IBucket) =>
  new PolicyStatement({ sid: "TellMissingReports", actions: ["s3:ListBucket"], resources: [bucket.bucketArn] });

export class ReportStorage extends Construct {
  readonly bus: EventBus;
  readonly bucket: Bucket;
  readonly logGroup: LogGroup;
  readonly storeFunction: GameDayFunction;
  readonly rule: Rule;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: ReportStorageProps) {
    super(scope, id);
    // Named, so its resource policy can name its ARN without referring to the bus resource itself (a cycle). No
    // description: CloudFormation in AWS GovCloud (US) has no Description on AWS::Events::EventBus (cfn-lint 1.51.0
    // provider schemas for us-gov-west-1 and us-gov-east-1, rule E3002).
    this.bus = new EventBus(this, "Bus", {
      eventBusName: reportBusNameOf(Stack.of(this).stackName),
    });
    this.logGroup = new LogGroup(this, "Reports", {
      retention: RetentionDays.TWO_YEARS,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const accessLogs = new Bucket(this, "AccessLogs", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      accessLogs,
      "S1",
      "This bucket receives the report bucket's access logs; logging it to itself would loop.",
    );
    this.bucket = new Bucket(this, "Bucket", {
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: "report-bucket/",
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: "older-reports-to-infrequent-access",
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(90) }],
        },
        { id: "expire-replaced-versions", noncurrentVersionExpiration: Duration.days(30) },
        { id: "fis-reports", prefix: "fis-reports/", expiration: Duration.days(400) },
      ],
    });

    this.deadLetters = new Queue(this, "Undelivered", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetters,
      "SQS3",
      "This queue is itself the dead-letter queue of the report, orphan-guard and schedule targets.",
    );
    this.storeFunction = new GameDayFunction(this, "Store", {
      entry: "store-report",
      description:
        "Stores each game-day report in S3 (JSON, Markdown, HTML) once, compares it with the plan's previous one, " +
        "records per-plan metrics and marks the run on the plan's dashboard",
      environment: {
        [ENVIRONMENT.reportBucket]: this.bucket.bucketName,
        ...(props.planDashboardPrefix ? { [ENVIRONMENT.dashboardPrefix]: props.planDashboardPrefix } : {}),
      },
      // The HTML report inlines the chart library; the function reads it from its package.
      files: Object.fromEntries(CHART_LIBRARY_FILES.map((file) => [`assets/${file}`, chartLibraryFile(file)])),
      timeout: Duration.seconds(30),
      asyncFailures: this.deadLetters,
    });
    this.storeFunction.role.addToPolicy(
      new PolicyStatement({
        sid: "WriteReports",
        // GetObject reads the plan's previous report (reports/<plan>/latest.json) to compare with.
        actions: ["s3:PutObject", "s3:GetObject"],
        resources: [this.bucket.arnForObjects("reports/*")],
      }),
    );
    // The store reads latest.json before it writes: the first report of a plan finds none.
    this.storeFunction.role.addToPolicy(tellMissingReports(this.bucket));
    this.storeFunction.role.addToPolicy(
      new PolicyStatement({
        sid: "ReadWholeReports",
        // The whole report a summary stands for, stored by the report step (src/core/report/reference.ts).
        actions: ["s3:GetObject"],
        resources: [this.bucket.arnForObjects("pending/*")],
      }),
    );
    acknowledge(
      this.storeFunction,
      `IAM5[Resource::${nagArnOf(this.bucket)}/pending/*]`,
      "Whole reports are read from pending/<plan>/<execution>.json, named by the summary's plan and execution.",
    );

    acknowledge(
      this.storeFunction,
      `IAM5[Resource::${nagArnOf(this.bucket)}/reports/*]`,
      "Report keys (reports/<plan>/<execution>.json, .md, .html and latest.json) are known only when a game day " +
        "ends; the function may only read and put objects under reports/.",
    );
    if (props.planDashboardPrefix) {
      const dashboards = Arn.format(
        // The pseudo-parameter, not the stack's account: the acknowledgement below names it the same way whether
        // the stack is environment-agnostic or synthesized for a concrete account (as `cdk deploy` does).
        {
          service: "cloudwatch",
          region: "",
          account: Aws.ACCOUNT_ID,
          resource: "dashboard",
          resourceName: `${props.planDashboardPrefix}*`,
        },
        Stack.of(this),
      );
      this.storeFunction.role.addToPolicy(
        new PolicyStatement({
          sid: "MarkPlanDashboards",
          actions: ["cloudwatch:GetDashboard", "cloudwatch:PutDashboard"],
          resources: [dashboards],
        }),
      );
      acknowledge(
        this.storeFunction,
        `IAM5[Resource::arn:<AWS::Partition>:cloudwatch::<AWS::AccountId>:dashboard/${props.planDashboardPrefix}*]`,
        "One dashboard per plan, named <stack>-<plan>: the function marks the plan's dashboard with each stored run.",
      );
    }

    this.rule = new Rule(this, "StoreReports", {
      description: "Stores every game-day report: Logs Insights and S3",
      eventBus: this.bus,
      // Reports put from another account (were a bus policy ever widened) are not this stack's.
      eventPattern: {
        source: [REPORT_EVENT.source],
        detailType: [REPORT_EVENT.detailType],
        account: [Stack.of(this).account],
      },
    });
    this.rule.addTarget(
      props.eventLogs.target(this.logGroup, {
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
        deadLetterQueue: this.deadLetters,
      }),
    );
    this.rule.addTarget(
      new LambdaFunction(this.storeFunction.function, {
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
        deadLetterQueue: this.deadLetters,
      }),
    );
  }

  /**
   * Only these roles may put events on the report bus: the state machine and the orphan guard. Any other principal,
   * even one whose own policy allows events:PutEvents, is denied, so nobody can forge a "Game Day Report".
   */
  acceptReportsOnlyFrom(roles: IRole[]): void {
    // Set on the bus itself: EventBus.addToResourcePolicy creates an AWS::Events::EventBusPolicy through a property
    // CDK has deprecated, and synth would warn on every run.
    const statement = new PolicyStatement({
      sid: "OnlyGameDayPutsReports",
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ["events:PutEvents"],
      resources: [
        Arn.format(
          { service: "events", resource: "event-bus", resourceName: reportBusNameOf(Stack.of(this).stackName) },
          Stack.of(this),
        ),
      ],
      conditions: { ArnNotEquals: { "aws:PrincipalArn": roles.map((r) => r.roleArn) } },
    });
    // As JSON text: AWS GovCloud (US)'s CloudFormation takes the bus's Policy only as a string, every other Region as
    // an object or a string (cfn-lint 1.51.0 provider schemas, rule E3012).
    const stack = Stack.of(this);
    (this.bus.node.defaultChild as CfnEventBus).policy = stack.toJsonString(
      new PolicyDocument({ statements: [statement] }).toJSON(),
    );
  }
}
