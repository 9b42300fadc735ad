import { App, Stack, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { Alarm } from "aws-cdk-lib/aws-cloudwatch";
import { LogGroup } from "aws-cdk-lib/aws-logs";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { AwsSolutionsChecks } from "cdk-nag";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExperimentRole } from "../../infra/experiments/experiment-role";
import {
  ExperimentTemplate,
  ExperimentTemplateError,
  STOP_CONDITIONS_WAIVED_TAG,
} from "../../infra/experiments/experiment-template";
import {
  Ec2FaultTemplate,
  EcsFaultTemplate,
  EksFaultTemplate,
  RdsFaultTemplate,
} from "../../infra/experiments/families";
import { acknowledge } from "../../infra/nag";
import type { FisTemplate } from "../../src/core/template/schema";

const LIBRARY = "test/fixtures/fis-template-library";

function experimentStack() {
  const app = new App({ context: { "aws:cdk:enable-path-metadata": true } });
  const stack = new Stack(app, "Faults", { env: { account: "111122223333", region: "eu-west-1" } });
  const logGroup = new LogGroup(stack, "Logs");
  const reportBucket = new Bucket(stack, "Reports", { enforceSSL: true });
  acknowledge(reportBucket, "S1", "test stack");
  const role = new ExperimentRole(stack, "Role");
  const alarm = Alarm.fromAlarmArn(stack, "Alarm", "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:checkout-5xx");
  const context = { role: role.role, logGroup, reportBucket };
  return { app, stack, role, context, stopConditions: { alarms: [alarm] } };
}

type Resource = { Properties: Record<string, any> };

function synthesizeWithNag(app: App, stack: Stack) {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return Template.fromStack(stack);
}

describe("typed FIS template constructs", () => {
  const { app, stack, role, context, stopConditions } = experimentStack();
  const byTags = { tags: { service: "checkout" } };
  const templates = {
    ec2Stop: new Ec2FaultTemplate(stack, "Ec2Stop", {
      ...context,
      name: "ec2-stop",
      fault: { kind: "stop-instances" },
      instances: byTags,
      stopConditions,
    }),
    ec2Reboot: new Ec2FaultTemplate(stack, "Ec2Reboot", {
      ...context,
      name: "ec2-reboot",
      fault: { kind: "reboot-instances" },
      instances: { ...byTags, selection: "PERCENT(50)" },
      stopConditions,
    }),
    ec2Terminate: new Ec2FaultTemplate(stack, "Ec2Terminate", {
      ...context,
      name: "ec2-terminate",
      fault: { kind: "terminate-instances" },
      instances: byTags,
      stopConditions,
    }),
    ec2Cpu: new Ec2FaultTemplate(stack, "Ec2Cpu", {
      ...context,
      name: "ec2-cpu",
      fault: { kind: "cpu-stress", durationSeconds: 240 },
      instances: byTags,
      stopConditions,
    }),
    ecsStop: new EcsFaultTemplate(stack, "EcsStop", {
      ...context,
      name: "ecs-stop",
      fault: { kind: "stop-task" },
      targets: byTags,
      stopConditions,
    }),
    ecsDrain: new EcsFaultTemplate(stack, "EcsDrain", {
      ...context,
      name: "ecs-drain",
      fault: { kind: "drain-container-instances", drainagePercentage: 30 },
      targets: { tags: { cluster: "shop" }, selection: "ALL" },
      stopConditions,
    }),
    ecsCpu: new EcsFaultTemplate(stack, "EcsCpu", {
      ...context,
      name: "ecs-cpu",
      fault: { kind: "task-cpu-stress" },
      targets: byTags,
      stopConditions,
    }),
    eksNodes: new EksFaultTemplate(stack, "EksNodes", {
      ...context,
      name: "eks-nodes",
      fault: { kind: "terminate-nodegroup-instances" },
      nodegroups: { tags: { nodegroup: "catalog" } },
      stopConditions,
    }),
    eksPods: new EksFaultTemplate(stack, "EksPods", {
      ...context,
      name: "eks-pods",
      fault: {
        kind: "pod-delete",
        clusterIdentifier: "shop-eks",
        namespace: "shop",
        labelSelector: "app=catalog",
        kubernetesServiceAccount: "fis-sa",
      },
      stopConditions: { waived: "pods are replaced by their deployment within seconds" },
    }),
    rdsReboot: new RdsFaultTemplate(stack, "RdsReboot", {
      ...context,
      name: "rds-reboot",
      fault: { kind: "reboot-db-instances" },
      targets: { tags: { db: "orders" } },
      stopConditions,
    }),
    rdsFailover: new RdsFaultTemplate(stack, "RdsFailover", {
      ...context,
      name: "rds-failover",
      fault: { kind: "failover-db-cluster" },
      targets: { tags: { db: "orders" } },
      stopConditions,
    }),
  };
  role.grantTemplates(
    Object.values(templates).map((t) => t.template),
    context.reportBucket,
  );
  const template = synthesizeWithNag(app, stack);
  const json = template.toJSON() as { Resources: Record<string, Resource & { Type: string }> };
  const propertiesOf = (t: { template: ExperimentTemplate }) =>
    json.Resources[stack.getLogicalId(t.template.resource)]!.Properties;

  it("synthesizes all four families with no cdk-nag finding", () => {
    template.resourceCountIs("AWS::FIS::ExperimentTemplate", Object.keys(templates).length);
  });

  it("targets by tags with the smallest blast radius unless told otherwise", () => {
    expect(propertiesOf(templates.ec2Stop).Targets.instances).toEqual({
      ResourceType: "aws:ec2:instance",
      ResourceTags: { service: "checkout" },
      SelectionMode: "COUNT(1)",
      Filters: [{ Path: "State.Name", Values: ["running"] }],
    });
    expect(propertiesOf(templates.ec2Reboot).Targets.instances.SelectionMode).toBe("PERCENT(50)");
    expect(propertiesOf(templates.ecsDrain).Targets.clusters).toMatchObject({
      ResourceType: "aws:ecs:cluster",
      SelectionMode: "ALL",
    });
  });

  it("sets each family's action and parameters", () => {
    const action = (t: { template: ExperimentTemplate }) => Object.values<any>(propertiesOf(t).Actions)[0];
    expect(action(templates.ec2Stop)).toMatchObject({
      ActionId: "aws:ec2:stop-instances",
      Parameters: { startInstancesAfterDuration: "PT5M" },
    });
    expect(action(templates.ec2Terminate).ActionId).toBe("aws:ec2:terminate-instances");
    const cpu = action(templates.ec2Cpu);
    expect(cpu.ActionId).toBe("aws:ssm:send-command");
    expect(cpu.Parameters.documentArn).toBe("arn:aws:ssm:eu-west-1::document/AWSFIS-Run-CPU-Stress");
    expect(JSON.parse(cpu.Parameters.documentParameters)).toMatchObject({ DurationSeconds: "240" });
    expect(cpu.Parameters.duration).toBe("PT5M");
    expect(action(templates.ecsStop)).toMatchObject({ ActionId: "aws:ecs:stop-task", Targets: { Tasks: "tasks" } });
    expect(action(templates.ecsDrain).Parameters).toEqual({ drainagePercentage: "30", duration: "PT5M" });
    expect(action(templates.ecsCpu).ActionId).toBe("aws:ecs:task-cpu-stress");
    expect(action(templates.eksNodes)).toMatchObject({
      ActionId: "aws:eks:terminate-nodegroup-instances",
      Parameters: { instanceTerminationPercentage: "33" },
    });
    expect(propertiesOf(templates.eksPods).Targets.pods.Parameters).toEqual({
      clusterIdentifier: "shop-eks",
      namespace: "shop",
      selectorType: "labelSelector",
      selectorValue: "app=catalog",
    });
    expect(action(templates.rdsReboot)).toMatchObject({
      ActionId: "aws:rds:reboot-db-instances",
      Parameters: { forceFailover: "true" },
    });
    expect(action(templates.rdsFailover).ActionId).toBe("aws:rds:failover-db-cluster");
  });

  it("stops on the given alarms, logs to the log group, and records a waiver where there is none", () => {
    expect(propertiesOf(templates.rdsFailover).StopConditions).toEqual([
      { Source: "aws:cloudwatch:alarm", Value: "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:checkout-5xx" },
    ]);
    expect(propertiesOf(templates.rdsFailover).Tags[STOP_CONDITIONS_WAIVED_TAG]).toBeUndefined();
    expect(propertiesOf(templates.rdsFailover).LogConfiguration.LogSchemaVersion).toBe(2);
    expect(propertiesOf(templates.eksPods).StopConditions).toEqual([{ Source: "none" }]);
    expect(propertiesOf(templates.eksPods).Tags[STOP_CONDITIONS_WAIVED_TAG]).toMatch(/replaced by their deployment/);
  });

  it("grants the experiment role each family's fault calls only on opted-in resources", () => {
    const policy = Object.values(json.Resources).find((r) => r.Type === "AWS::IAM::Policy")!;
    const statements = policy.Properties.PolicyDocument.Statement as any[];
    const tagged = statements.find((s) => s.Sid === "FaultsOnOptedInResourcesOnly");
    expect(tagged.Condition).toEqual({ StringEquals: { "aws:ResourceTag/FIS-Ready": "True" } });
    expect(tagged.Action).toEqual(
      expect.arrayContaining([
        "ec2:StopInstances",
        "ec2:StartInstances",
        "ec2:RebootInstances",
        "ec2:TerminateInstances",
        "ssm:SendCommand",
        "ecs:StopTask",
        "ecs:UpdateContainerInstancesState",
        "rds:RebootDBInstance",
        "rds:FailoverDBCluster",
      ]),
    );
    for (const s of statements)
      expect(
        [s.Action].flat().some((a: string) => a.includes("*")),
        s.Sid,
      ).toBe(false);
  });
});

describe("templates in the public library's format", () => {
  const files = readdirSync(LIBRARY).filter((f) => f.endsWith(".json"));
  const read = (file: string) => JSON.parse(readFileSync(join(LIBRARY, file), "utf8")) as FisTemplate;

  it.each(files)("%s without stop conditions or with placeholders is refused, naming file and path", (file) => {
    const { stack, context } = experimentStack();
    let error: unknown;
    try {
      new ExperimentTemplate(stack, "T", { ...context, name: "t", document: read(file), source: join(LIBRARY, file) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExperimentTemplateError);
    const problems = (error as ExperimentTemplateError).problems;
    for (const p of problems) expect(p.file).toBe(join(LIBRARY, file));
    expect(problems.map((p) => p.path)).toContain("stopConditions");
    expect((error as Error).message).toContain(STOP_CONDITIONS_WAIVED_TAG);
  });

  it.each(files)("%s deploys once its placeholders are filled and a waiver is given", (file) => {
    const { stack, context } = experimentStack();
    const filled = JSON.parse(
      JSON.stringify(read(file)).replace(/<YOUR [A-Z ]+>/g, (p) =>
        p === "<YOUR AWS ACCOUNT>" || p === "<YOUR REGION>" ? p : "example-value",
      ),
    ) as FisTemplate;
    filled.tags = { ...filled.tags, [STOP_CONDITIONS_WAIVED_TAG]: "rehearsal only" };
    const deployed = new ExperimentTemplate(stack, "T", { ...context, name: "t", document: filled, source: file });
    const properties = Template.fromStack(stack).findResources("AWS::FIS::ExperimentTemplate");
    const only = Object.values(properties)[0]!.Properties;
    expect(only.RoleArn).toEqual(stack.resolve(context.role.roleArn));
    expect(JSON.stringify(only)).not.toMatch(/<YOUR|<ACCOUNT|123456789012/);
    expect(deployed.actionIds.length).toBeGreaterThan(0);
  });

  it("re-homes a stop-condition alarm to the deploying account and Region, keeping its name", () => {
    const { stack, context } = experimentStack();
    const document = JSON.parse(readFileSync("templates/ecs-stop-checkout-tasks-in-one-zone.json", "utf8"));
    new ExperimentTemplate(stack, "T", { ...context, name: "t", document, source: "templates/x.json" });
    const only = Object.values(Template.fromStack(stack).findResources("AWS::FIS::ExperimentTemplate"))[0]!;
    expect(JSON.stringify(only.Properties.StopConditions[0].Value)).toContain(
      ":cloudwatch:eu-west-1:111122223333:alarm:shop-front-door-5xx",
    );
  });

  it("refuses a stop condition that is not an alarm ARN", () => {
    const { stack, context } = experimentStack();
    const document = JSON.parse(readFileSync("templates/ecs-stop-checkout-tasks-in-one-zone.json", "utf8"));
    document.stopConditions = [{ source: "aws:cloudwatch:alarm", value: "checkout-5xx" }];
    expect(
      () => new ExperimentTemplate(stack, "T", { ...context, name: "t", document, source: "templates/x.json" }),
    ).toThrow(/templates\/x\.json.*stopConditions\[0\]\.value/s);
  });
});

describe("the experiment role", () => {
  it("grants ssm:CancelCommand on * only in a statement of its own, never among the read-only lookups", () => {
    const { app, stack, context, role } = experimentStack();
    const document = JSON.parse(readFileSync("templates/ec2-web-cpu-stress.json", "utf8"));
    role.grantTemplates([
      new ExperimentTemplate(stack, "Cpu", { ...context, name: "cpu", document, source: "c.json" }),
    ]);
    const statements = Object.values(synthesizeWithNag(app, stack).findResources("AWS::IAM::Policy")).flatMap(
      (p: any) =>
        p.Properties.PolicyDocument.Statement as { Sid?: string; Action: string | string[]; Resource: unknown }[],
    );
    const granting = statements.filter((s) => [s.Action].flat().includes("ssm:CancelCommand"));
    expect(granting.map((s) => [s.Sid, [s.Action].flat()])).toEqual([
      ["UnscopedssmCancelCommand", ["ssm:CancelCommand"]],
    ]);
    const lookups = statements.find((s) => s.Sid === "ReadOnlyLookups")!;
    expect([lookups.Action].flat().every((a) => /:(Describe|List|Get)/.test(a))).toBe(true);
  });

  it("refuses an FIS action whose permissions it does not know, instead of failing mid-game-day", () => {
    const { stack, context, role } = experimentStack();
    const document = JSON.parse(readFileSync("templates/ec2-terminate-web-instances.json", "utf8"));
    const t = new ExperimentTemplate(stack, "T", { ...context, name: "t", document, source: "t.json" });
    (t.document.actions as Record<string, { actionId: string }>).x = {
      actionId: "aws:example:an-action-fis-adds-later",
    };
    expect(() => role.grantTemplates([t])).toThrow(
      /No IAM permissions are known for FIS action aws:example:an-action-fis-adds-later/,
    );
  });
});
