import { LAMBDA_NODE_MAJOR } from "../../infra/function";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { PLAN_CATALOG_FILE } from "../../src/aws/catalogs";
import { LOCK_TABLE } from "../../src/aws/lock-table";
import { REPORT_EVENT } from "../../src/core/report/storage";
import { logicalIdAt, resolveIntrinsics, resourcesOfType, synthesizedStack } from "./assembly";
import { executionStatusChange, fisStateChange, GAME_DAY_MACHINE_ARN } from "../sample-events";
import { matchesPattern } from "./event-pattern";

const { template: json, directory } = synthesizedStack();
const template = Template.fromJSON(json as never);
const machineId = logicalIdAt(json, "GameDay/Orchestrator/StateMachine/Resource");

const rulePattern = (path: string) =>
  resolveIntrinsics(json.Resources[logicalIdAt(json, path)]!.Properties.EventPattern, {
    [machineId]: GAME_DAY_MACHINE_ARN,
  });

describe("the synthesized stack", () => {
  it("runs the game-day state machine as a Standard workflow, logging everything, traced", () => {
    template.resourceCountIs("AWS::StepFunctions::StateMachine", 1);
    template.hasResourceProperties("AWS::StepFunctions::StateMachine", {
      StateMachineType: "STANDARD",
      LoggingConfiguration: {
        Level: "ALL",
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: Match.anyValue() } }],
      },
      TracingConfiguration: { Enabled: true },
    });
  });

  it("deploys eight Lambdas on the newest Node.js runtime, arm64, traced, with Powertools settings", () => {
    const functions = resourcesOfType(json, "AWS::Lambda::Function");
    expect(functions).toHaveLength(8);
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        // The runtime is the Node.js version the bundles are built for (infra/function.ts).
        Runtime: `nodejs${LAMBDA_NODE_MAJOR}.x`,
        Architectures: ["arm64"],
        Handler: "index.handler",
        TracingConfig: { Mode: "Active" },
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: "gameday", POWERTOOLS_METRICS_NAMESPACE: "GameDay" } },
      });
    }
  });

  it("ships the example plans with the validate-plan function, and the deployed templates' ids", () => {
    const fn = json.Resources[logicalIdAt(json, "GameDay/Orchestrator/ValidatePlan/Function/Resource")]!;
    const catalog = JSON.parse(
      readFileSync(join(directory, fn.Metadata!["aws:asset:path"] as string, PLAN_CATALOG_FILE), "utf8"),
    );
    expect(Object.keys(catalog).sort()).toEqual([
      "aurora-failover",
      "aurora-failover-recovers",
      "dynamodb-orders-replication-pause",
      "ec2-web-tier",
      "ecs-checkout-zone-loss",
      "eks-catalog-pods",
    ]);
    // Deployed plans name their templates; the ids come from the stack.
    expect(JSON.stringify(catalog)).not.toContain('"file"');
    const ids = JSON.parse(resolveIntrinsics(fn.Properties.Environment.Variables.GAMEDAY_TEMPLATE_IDS));
    expect(ids["ecs-stop-checkout-tasks-in-one-zone"]).toBe(
      `«${logicalIdAt(json, "GameDay/Template-ecs-stop-checkout-tasks-in-one-zone/Resource")}»`,
    );
  });

  it("deploys FIS templates for EC2, ECS, EKS and RDS, each stopped by an alarm, logged, and reporting", () => {
    const templates = resourcesOfType(json, "AWS::FIS::ExperimentTemplate");
    const families = new Set(
      templates.flatMap(([, t]) => Object.values<{ ActionId: string }>(t.Properties.Actions).map((a) => a.ActionId)),
    );
    for (const family of ["aws:ec2:", "aws:ecs:", "aws:eks:", "aws:rds:"])
      expect(
        [...families].some((a) => a.startsWith(family)),
        family,
      ).toBe(true);
    const roleId = logicalIdAt(json, "GameDay/ExperimentRole/Role/Resource");
    const logsId = logicalIdAt(json, "GameDay/ExperimentLogs/Resource");
    for (const [id, t] of templates) {
      const p = resolveIntrinsics(t.Properties);
      expect(p.RoleArn, id).toBe(`«${roleId}.Arn»`);
      expect(p.StopConditions.length, id).toBeGreaterThan(0);
      for (const s of p.StopConditions) expect(s.Source).toBe("aws:cloudwatch:alarm");
      expect(p.LogConfiguration).toEqual({
        CloudWatchLogsConfiguration: { LogGroupArn: `«${logsId}.Arn»` },
        LogSchemaVersion: 2,
      });
      expect(p.ExperimentReportConfiguration.DataSources.CloudWatchDashboards[0].DashboardIdentifier).toMatch(
        /^arn:aws:cloudwatch::111122223333:dashboard\/GameDay_/,
      );
      // Targets are chosen by tags, ARNs, or (EKS pods) by cluster, namespace and label selector.
      for (const target of Object.values<Record<string, unknown>>(p.Targets))
        expect(target.ResourceTags ?? target.ResourceArns ?? target.Parameters, id).toBeDefined();
    }
  });

  it("limits the experiment role's faults to resources carrying the opt-in tag", () => {
    const policy = resourcesOfType(json, "AWS::IAM::Policy").find(([, p]) =>
      p.Properties.Roles.some(
        (r: { Ref: string }) => r.Ref === logicalIdAt(json, "GameDay/ExperimentRole/Role/Resource"),
      ),
    )!;
    const faults = policy[1].Properties.PolicyDocument.Statement.find(
      (s: { Sid?: string }) => s.Sid === "FaultsOnOptedInResourcesOnly",
    );
    expect(faults.Condition).toEqual({ StringEquals: { "aws:ResourceTag/FIS-Ready": "True" } });
    expect(faults.Action).toEqual(
      expect.arrayContaining(["ec2:TerminateInstances", "ecs:StopTask", "rds:FailoverDBCluster"]),
    );
    const mutating = /:(Stop|Start|Reboot|Terminate|Failover|Delete|Update|Put|Send|Create)/;
    for (const s of policy[1].Properties.PolicyDocument.Statement) {
      const unconditioned = [s.Action].flat().filter((a: string) => mutating.test(a));
      if (s.Resource === "*" && !s.Condition)
        expect(
          unconditioned.filter((a: string) => !a.startsWith("logs:")),
          s.Sid,
        ).toEqual([]);
    }
  });

  it("keeps reports in an encrypted, versioned, TLS-only, private bucket with a lifecycle", () => {
    const bucketId = logicalIdAt(json, "GameDay/Reports/Bucket/Resource");
    const bucket = json.Resources[bucketId]!.Properties;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: "AES256",
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: "Enabled" });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LifecycleConfiguration.Rules.length).toBeGreaterThan(0);
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("stores each report from the report bus in Logs and through the store function", () => {
    const ruleId = logicalIdAt(json, "GameDay/Reports/StoreReports/Resource");
    const rule = resolveIntrinsics(json.Resources[ruleId]!.Properties);
    expect(rule.EventBusName).toBe(`«${logicalIdAt(json, "GameDay/Reports/Bus/Resource")}»`);
    expect(rule.Targets.map((t: { Arn: string }) => t.Arn).sort()).toEqual(
      [
        `«${logicalIdAt(json, "GameDay/Reports/Reports/Resource")}.Arn»`,
        `«${logicalIdAt(json, "GameDay/Reports/Store/Function/Resource")}.Arn»`,
      ].sort(),
    );
    for (const target of rule.Targets) expect(target.DeadLetterConfig.Arn).toBeDefined();
    const account = resolveIntrinsics({ Ref: "AWS::AccountId" });
    const published = { source: REPORT_EVENT.source, "detail-type": REPORT_EVENT.detailType, account, detail: {} };
    expect(matchesPattern(rule.EventPattern, published)).toBe(true);
    expect(matchesPattern(rule.EventPattern, { ...published, source: "someone.else" })).toBe(false);
    expect(matchesPattern(rule.EventPattern, { ...published, account: "999988887777" })).toBe(false);
  });

  it("lets EventBridge write to the report and experiment-event log groups through one resource policy", () => {
    const policies = resourcesOfType(json, "AWS::Logs::ResourcePolicy");
    expect(policies).toHaveLength(1);
    const document = JSON.parse(resolveIntrinsics(policies[0]![1].Properties.PolicyDocument));
    expect(document.Statement[0].Resource.sort()).toEqual(
      [
        `«${logicalIdAt(json, "GameDay/Reports/Reports/Resource")}.Arn»`,
        `«${logicalIdAt(json, "GameDay/ExperimentEvents/Resource")}.Arn»`,
      ].sort(),
    );
    expect(document.Statement[0].Principal.Service).toContain("events.amazonaws.com");
  });

  it("sends every FIS experiment state change to the experiment-events log group", () => {
    const pattern = rulePattern("GameDay/ExperimentStateChanges/Resource");
    expect(matchesPattern(pattern, fisStateChange)).toBe(true);
    expect(matchesPattern(pattern, executionStatusChange("ABORTED"))).toBe(false);
  });

  it("triggers the orphan guard when this state machine's execution fails, times out or is stopped", () => {
    const pattern = rulePattern("GameDay/OrphanGuard/ExecutionEnded/Resource");
    for (const status of ["FAILED", "TIMED_OUT", "ABORTED"])
      expect(matchesPattern(pattern, executionStatusChange(status)), status).toBe(true);
    for (const status of ["RUNNING", "SUCCEEDED"])
      expect(matchesPattern(pattern, executionStatusChange(status)), status).toBe(false);
    const other = "arn:aws:states:eu-west-1:111122223333:stateMachine:SomeoneElse";
    expect(matchesPattern(pattern, executionStatusChange("ABORTED", { stateMachineArn: other }))).toBe(false);
    expect(matchesPattern(pattern, fisStateChange)).toBe(false);
  });

  it("keeps run locks in a table whose items expire, found by the execution holding them", () => {
    template.resourceCountIs("AWS::DynamoDB::Table", 1);
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [{ AttributeName: LOCK_TABLE.partitionKey, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      TimeToLiveSpecification: { AttributeName: LOCK_TABLE.expiryAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: LOCK_TABLE.holderIndex,
          KeySchema: [{ AttributeName: LOCK_TABLE.holderAttribute, KeyType: "HASH" }],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
    });
    const tableId = logicalIdAt(json, "GameDay/RunLocks/Table/Resource");
    for (const path of [
      "GameDay/Orchestrator/ValidatePlan/Function/Resource",
      "GameDay/Orchestrator/BuildReport/Function/Resource",
      "GameDay/OrphanGuard/Guard/Function/Resource",
    ]) {
      const variables = json.Resources[logicalIdAt(json, path)]!.Properties.Environment.Variables;
      expect(variables[LOCK_TABLE.environmentVariable], path).toEqual({ Ref: tableId });
    }
  });

  it("schedules the example plans that declare a schedule, starting the state machine with the plan's name", () => {
    const schedules = resourcesOfType(json, "AWS::Scheduler::Schedule").filter(
      ([, s]) => s.Properties.Target.Arn.Ref === machineId,
    );
    expect(schedules).toHaveLength(1);
    const schedule = resolveIntrinsics(schedules[0]![1].Properties);
    expect(schedule).toMatchObject({
      ScheduleExpression: "cron(0 10 ? * TUE *)",
      ScheduleExpressionTimezone: "Europe/Berlin",
      State: "ENABLED",
      Target: { Arn: `«${machineId}»` },
    });
    expect(JSON.parse(schedule.Target.Input)).toEqual({ plan: "ec2-web-tier" });
  });

  it("draws an overview dashboard and one dashboard per plan", () => {
    const dashboards = resourcesOfType(json, "AWS::CloudWatch::Dashboard").map(([, d]) => ({
      name: d.Properties.DashboardName as string,
      body: JSON.parse(resolveIntrinsics(d.Properties.DashboardBody)),
    }));
    expect(dashboards.map((d) => d.name).sort()).toEqual([
      "GameDay-overview",
      "GameDay_aurora-failover",
      "GameDay_aurora-failover-recovers",
      "GameDay_dynamodb-orders-replication-pause",
      "GameDay_ec2-web-tier",
      "GameDay_ecs-checkout-zone-loss",
      "GameDay_eks-catalog-pods",
    ]);
    const overview = dashboards.find((d) => d.name === "GameDay-overview")!;
    const types = overview.body.widgets.map((w: { type: string }) => w.type);
    expect(types).toEqual(expect.arrayContaining(["text", "log", "metric"]));
    const text = JSON.stringify(overview.body);
    expect(text).toContain("Start execution");
    expect(text).toContain("ExecutionsSucceeded");
    const checkout = dashboards.find((d) => d.name === "GameDay_ecs-checkout-zone-loss")!;
    expect(checkout.body.widgets.length).toBeGreaterThan(1);
    // Alarm probes are status tiles of the plan's alarm in the deploying account and Region.
    const aurora = dashboards.find((d) => d.name === "GameDay_aurora-failover")!;
    const tiles = aurora.body.widgets.filter((w: { type: string }) => w.type === "alarm");
    expect(tiles).toHaveLength(1);
    expect(tiles[0].properties.alarms).toEqual(["arn:aws:cloudwatch:eu-west-1:111122223333:alarm:shop-checkout-5xx"]);
    expect(tiles[0].properties.title).toContain("checkoutErrorsAlarm");
  });

  it("outputs the console link, the dashboards and the report bucket", () => {
    const outputs = resolveIntrinsics(json.Outputs);
    expect(outputs.StateMachineConsole.Value).toBe(
      `https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/statemachines/view/«${machineId}»`,
    );
    expect(outputs.OverviewDashboard.Value).toContain("#dashboards/dashboard/GameDay-overview");
    expect(outputs.Dashboardecscheckoutzoneloss.Value).toContain("dashboard/GameDay_ecs-checkout-zone-loss");
    expect(outputs.ReportBucket.Value).toBe(`«${logicalIdAt(json, "GameDay/Reports/Bucket/Resource")}»`);
  });
});

describe("the report bus", () => {
  it("denies PutEvents to every principal but the state machine's and the orphan guard's roles", () => {
    const template = Template.fromJSON(json);
    expect(template.findResources("AWS::Events::EventBusPolicy")).toEqual({});
    const buses = template.findResources("AWS::Events::EventBus");
    // JSON text, as AWS GovCloud (US)'s CloudFormation requires: its references resolved, it parses as a policy.
    const statements = Object.values(buses).flatMap((b) => {
      const policy = resolveIntrinsics((b as { Properties: { Policy: unknown } }).Properties.Policy);
      expect(typeof policy).toBe("string");
      return (JSON.parse(policy as string) as { Statement: unknown[] }).Statement;
    });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({
      Effect: "Deny",
      Action: "events:PutEvents",
      Principal: { AWS: "*" },
      Condition: { ArnNotEquals: { "aws:PrincipalArn": [expect.anything(), expect.anything()] } },
    });
    const roles = JSON.stringify((statements[0] as { Condition: unknown }).Condition);
    expect(roles).toContain("StateMachineRole");
    expect(roles).toContain("Guard");
  });

  it("stores only reports whose source, detail type and account are this stack's", () => {
    const rules = Template.fromJSON(json).findResources("AWS::Events::Rule", {
      Properties: { EventPattern: { "detail-type": ["Game Day Report"] } },
    });
    const [rule] = Object.values(rules) as { Properties: { EventPattern: Record<string, unknown> } }[];
    expect(rule!.Properties.EventPattern).toMatchObject({ source: ["gameday"], account: [{ Ref: "AWS::AccountId" }] });
  });
});
