import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GAME_DAY_FUNCTION_ENTRIES } from "../../src/core/contract/functions";
import { ENVIRONMENT, requiredEnvironment } from "../../src/core/contract/environment";
import { EXECUTION_TAG, STATE_MACHINE_TAG } from "../../src/core/gameday/state";
import { reportObjectKeys } from "../../src/core/report/storage";
import {
  grantsOf,
  logicalIdAt,
  resolveIntrinsics,
  resourcesOfType,
  sdkActionsOfMetafile,
  statementsOfRole,
  synthesizedStack,
  type CfnTemplate,
} from "./assembly";
import { deployedDefinition } from "./definition";

const { template, directory } = synthesizedStack();

/** Granted beyond the SDK calls of a handler, each for a reason the code does not show. */
const REVIEWED_LAMBDA_EXTRAS = {
  "logs:CreateLogStream": "the runtime writes the function's logs",
  "logs:PutLogEvents": "the runtime writes the function's logs",
  "xray:PutTraceSegments": "active tracing",
  "xray:PutTelemetryRecords": "active tracing",
  "sqs:SendMessage": "the on-failure destination of asynchronous invocations (store and guard functions)",
  "sqs:GetQueueAttributes": "granted with the on-failure destination by aws-cdk's SqsDestination",
  "sqs:GetQueueUrl": "granted with the on-failure destination by aws-cdk's SqsDestination",
  "s3:ListBucket":
    "the orphan guard's GetObject of a missing report answers 404, not 403 (listing under reports/ only)",
};
const REVIEWED_STATE_MACHINE_EXTRAS = {
  "logs:CreateLogDelivery": "logging level ALL (Step Functions' documented policy)",
  "logs:GetLogDelivery": "logging",
  "logs:UpdateLogDelivery": "logging",
  "logs:DeleteLogDelivery": "logging",
  "logs:ListLogDeliveries": "logging",
  "logs:PutResourcePolicy": "logging",
  "logs:DescribeResourcePolicies": "logging",
  "logs:DescribeLogGroups": "logging",
  "xray:PutTraceSegments": "X-Ray tracing",
  "xray:PutTelemetryRecords": "X-Ray tracing",
  "xray:GetSamplingRules": "X-Ray tracing",
  "xray:GetSamplingTargets": "X-Ray tracing",
  "fis:TagResource": "StartExperiment passes Tags, which FIS authorizes as tagging on create",
};

interface DeployedFunction {
  path: string;
  logicalId: string;
  roleId: string;
  bundle: string;
  metafile: Parameters<typeof sdkActionsOfMetafile>[0];
  properties: any;
}

function deployedFunctions(t: CfnTemplate): DeployedFunction[] {
  return resourcesOfType(t, "AWS::Lambda::Function").map(([logicalId, resource]) => ({
    path: resource.Metadata!["aws:cdk:path"] as string,
    logicalId,
    roleId: resource.Properties.Role["Fn::GetAtt"][0] as string,
    bundle: readFileSync(join(directory, resource.Metadata!["aws:asset:path"] as string, "index.mjs"), "utf8"),
    metafile: JSON.parse(
      readFileSync(join(directory, resource.Metadata!["aws:asset:path"] as string, "index.meta.json"), "utf8"),
    ),
    properties: resource.Properties,
  }));
}

const grantedActions = (roleId: string) =>
  [...new Set(statementsOfRole(template, roleId).flatMap((s) => s.Action))].sort();

describe("IAM completeness of the Lambdas", () => {
  const functions = deployedFunctions(template);

  /** The handler source a deployed function runs (its bundle is minified, so names are read from the source). */
  const sourceOf = (path: string) => {
    const key = path.split("/")[2]!;
    const file = path.includes("/OrphanGuard/")
      ? "guard-orphans"
      : path.includes("/Reports/Store/")
        ? "store-report"
        : GAME_DAY_FUNCTION_ENTRIES[key as keyof typeof GAME_DAY_FUNCTION_ENTRIES].file;
    return readFileSync(`lambdas/${file}.ts`, "utf8");
  };
  /** The src/aws helpers that read a required variable for the handler that calls them. */
  const HELPERS_REQUIRING: Record<string, keyof typeof ENVIRONMENT> = {
    "lockTableName(": "lockTable",
    "deployedCatalogs(": "templateIds",
  };
  const requiredBy = (path: string) => [
    ...[...sourceOf(path).matchAll(/requiredEnvironment\(\s*ENVIRONMENT\.(\w+)/g)].map(
      (m) => m[1] as keyof typeof ENVIRONMENT,
    ),
    ...Object.entries(HELPERS_REQUIRING).flatMap(([call, key]) => (sourceOf(path).includes(call) ? [key] : [])),
  ];

  it.each(functions.map((f) => [f.path, f] as const))(
    "%s has every environment variable its handler requires",
    (path, fn) => {
      const set = Object.keys(fn.properties.Environment?.Variables ?? {});
      expect(
        requiredBy(path)
          .map((k) => ENVIRONMENT[k])
          .filter((name) => !set.includes(name)),
      ).toEqual([]);
    },
  );

  it("reads the required variables from the handlers (the check above is not vacuous)", () => {
    const validate = functions.find((f) => f.path.includes("/ValidatePlan/"))!;
    expect([...new Set(requiredBy(validate.path))].sort()).toEqual(["lockTable", "templateIds"]);
    const guard = functions.find((f) => f.path.includes("/OrphanGuard/"))!;
    expect([...new Set(requiredBy(guard.path))].sort()).toEqual([
      "lockTable",
      "reportBucket",
      "reportBus",
      "stateMachineArn",
    ]);
    const build = functions.find((f) => f.path.includes("/BuildReport/"))!;
    expect(requiredBy(build.path)).toEqual(["reportBucket", "lockTable"]);
  });

  it("fails a handler's start with the name of a variable the stack did not set", () => {
    expect(() => requiredEnvironment(ENVIRONMENT.reportBucket, {})).toThrow(
      "REPORT_BUCKET is not set: the gameday stack sets it on this function",
    );
    expect(requiredEnvironment(ENVIRONMENT.reportBucket, { REPORT_BUCKET: "b" })).toBe("b");
  });

  it("finds the eight gameday functions and their bundles", () => {
    expect(functions.map((f) => f.path.split("/").slice(1, -2).join("/")).sort()).toEqual(
      [
        ...Object.keys(GAME_DAY_FUNCTION_ENTRIES).map((key) => `Orchestrator/${key}`),
        "OrphanGuard/Guard",
        "Reports/Store",
      ].sort(),
    );
  });

  it("reads each bundle's SDK commands from its metafile (the check below is not vacuous)", () => {
    const build = functions.find((f) => f.path.includes("/BuildReport/"))!;
    expect(sdkActionsOfMetafile(build.metafile)).toEqual([
      "cloudwatch:DescribeAlarmHistory",
      "cloudwatch:DescribeAlarms",
      "cloudwatch:GetMetricData",
      "dynamodb:DeleteItem",
      "dynamodb:Query",
      "fis:GetExperiment",
      "fis:ListExperimentResolvedTargets",
      "fis:ListExperiments",
      "s3:PutObject",
      "xray:GetServiceGraph",
      "xray:GetTimeSeriesServiceStatistics",
      "xray:GetTraceSummaries",
    ]);
    // The SDK is inside the bundle now: no import of it is left for the runtime to resolve.
    expect(build.bundle).not.toMatch(/from\s*"@aws-sdk\//);
  });

  it.each(deployedFunctions(template).map((f) => [f.path, f] as const))(
    "%s may make every SDK call its bundle makes, and nothing else",
    (_path, fn) => {
      const needed = sdkActionsOfMetafile(fn.metafile);
      for (const action of needed)
        expect(grantsOf(statementsOfRole(template, fn.roleId), action), action).not.toEqual([]);
      const allowed = new Set([...needed, ...Object.keys(REVIEWED_LAMBDA_EXTRAS)]);
      expect(grantedActions(fn.roleId).filter((a) => !allowed.has(a))).toEqual([]);
      expect(grantedActions(fn.roleId).filter((a) => a.includes("*"))).toEqual([]);
    },
  );

  it.each(deployedFunctions(template).map((f) => [f.path, f] as const))(
    "%s writes logs only to its own log group",
    (_path, fn) => {
      const logGroupId = fn.properties.LoggingConfig.LogGroup.Ref as string;
      const statements = statementsOfRole(template, fn.roleId);
      const logWrites = statements.filter((s) => s.Action.some((a) => a.startsWith("logs:")));
      expect(logWrites.flatMap((s) => s.Resource)).toEqual([`«${logGroupId}.Arn»`]);
    },
  );

  it("lets the store function put exactly the report keys it writes", () => {
    const store = functions.find((f) => f.path.includes("/Reports/Store/"))!;
    const bucketId = store.properties.Environment.Variables.REPORT_BUCKET.Ref as string;
    const keys = reportObjectKeys({
      plan: { name: "ecs-checkout-zone-loss" } as never,
      execution: { name: "run-1" } as never,
    });
    const statements = statementsOfRole(template, store.roleId);
    for (const key of [keys.json, keys.markdown])
      expect(grantsOf(statements, "s3:PutObject", `«${bucketId}.Arn»/${key}`), key).not.toEqual([]);
    expect(grantsOf(statements, "s3:PutObject", `«${bucketId}.Arn»/fis-reports/x`)).toEqual([]);
  });

  it("lets the orphan guard publish to the report bus it is configured with", () => {
    const guard = functions.find((f) => f.path.includes("/OrphanGuard/"))!;
    const busId = guard.properties.Environment.Variables.REPORT_BUS.Ref as string;
    expect(template.Resources[busId]!.Type).toBe("AWS::Events::EventBus");
    expect(grantsOf(statementsOfRole(template, guard.roleId), "events:PutEvents", `«${busId}.Arn»`)).not.toEqual([]);
  });

  it("reaches FIS experiments only through the game-day execution tag and this stack's state machine tag", () => {
    const [machineId, machine] = resourcesOfType(template, "AWS::StepFunctions::StateMachine")[0]!;
    const name = resolveIntrinsics(machine.Properties.StateMachineName);
    expect(name).toBe("GameDay-Orchestrator");
    // Named by ARN where a reference would be circular (the orchestrator's own functions), by reference elsewhere.
    const thisMachine = [`arn:aws:states:eu-west-1:111122223333:stateMachine:${name}`, `«${machineId}»`];
    for (const fn of functions) {
      for (const s of statementsOfRole(template, fn.roleId)) {
        if (!s.Action.some((a) => ["fis:GetExperiment", "fis:StopExperiment"].includes(a))) continue;
        expect(s.Condition?.Null, `${fn.path} ${s.Sid}`).toEqual({ [`aws:ResourceTag/${EXECUTION_TAG}`]: "false" });
        expect(thisMachine, `${fn.path} ${s.Sid}`).toContain(
          resolveIntrinsics(s.Condition?.StringEquals?.[`aws:ResourceTag/${STATE_MACHINE_TAG}`]),
        );
      }
    }
  });
});

describe("IAM completeness of the state machine", () => {
  const [machineId, machine] = resourcesOfType(template, "AWS::StepFunctions::StateMachine")[0]!;
  const roleId = machine.Properties.RoleArn["Fn::GetAtt"][0] as string;
  const statements = statementsOfRole(template, roleId);
  const asl = JSON.parse(deployedDefinition(template)) as any;
  const tasks = allTasks(asl);

  it("may invoke exactly the functions its Task states call", () => {
    const invoked = tasks.filter((t) => !t.Resource.startsWith("arn:aws:states:::")).map((t) => t.Resource);
    expect(invoked).toHaveLength(Object.keys(GAME_DAY_FUNCTION_ENTRIES).length);
    for (const arn of invoked) expect(grantsOf(statements, "lambda:InvokeFunction", arn), arn).not.toEqual([]);
    const grantedArns = statements.filter((s) => s.Action.includes("lambda:InvokeFunction")).flatMap((s) => s.Resource);
    expect(grantedArns.sort()).toEqual([...invoked].sort());
  });

  it("may make every service call its ASL makes, and nothing beyond the reviewed list", () => {
    const needed = tasks.map((t) => t.Resource).flatMap(actionOfIntegration);
    expect(needed).toEqual(expect.arrayContaining(["fis:StartExperiment", "fis:StopExperiment", "events:PutEvents"]));
    for (const action of needed) expect(grantsOf(statements, action), action).not.toEqual([]);
    const allowed = new Set([...needed, "lambda:InvokeFunction", ...Object.keys(REVIEWED_STATE_MACHINE_EXTRAS)]);
    expect(grantedActions(roleId).filter((a) => !allowed.has(a))).toEqual([]);
    expect(grantedActions(roleId).filter((a) => a.includes("*"))).toEqual([]);
  });

  it("tags every experiment it starts, as its StartExperiment permission requires", () => {
    const start = tasks.find((t) => t.Resource.endsWith("fis:startExperiment"))!;
    const tagged = grantsOf(statements, "fis:StartExperiment").find((s) =>
      s.Resource.some((r) => r.endsWith(":experiment/*")),
    )!;
    expect(resolveIntrinsics(tagged.Condition)).toEqual({
      Null: { [`aws:RequestTag/${EXECUTION_TAG}`]: "false" },
      StringEquals: {
        [`aws:RequestTag/${STATE_MACHINE_TAG}`]:
          "arn:aws:states:eu-west-1:111122223333:stateMachine:GameDay-Orchestrator",
      },
    });
    expect(Object.keys(start.Parameters.Tags)).toEqual(
      expect.arrayContaining([`${EXECUTION_TAG}.$`, `${STATE_MACHINE_TAG}.$`]),
    );
  });

  it("starts and reads only the templates the stack deployed, by id, not by a tag anyone could add", () => {
    const deployed = resourcesOfType(template, "AWS::FIS::ExperimentTemplate").map(
      ([id]) => `arn:aws:fis:eu-west-1:111122223333:experiment-template/«${id}»`,
    );
    expect(deployed.length).toBeGreaterThan(0);
    const onTemplates = grantsOf(statements, "fis:StartExperiment").filter((s) =>
      s.Resource.some((r) => resolveIntrinsics(r).includes(":experiment-template/")),
    );
    expect(onTemplates).toHaveLength(1);
    expect(onTemplates[0]!.Condition).toBeUndefined();
    expect(onTemplates[0]!.Resource.map((r) => resolveIntrinsics(r)).sort()).toEqual(deployed.sort());
    const validate = deployedFunctions(template).find((f) => f.path.includes("/ValidatePlan/"))!;
    const reads = grantsOf(statementsOfRole(template, validate.roleId), "fis:GetExperimentTemplate");
    expect(reads.flatMap((s) => s.Resource.map((r) => resolveIntrinsics(r))).sort()).toEqual(deployed.sort());
  });

  it("publishes reports to the bus it names", () => {
    const publish = tasks.find((t) => t.Resource === "arn:aws:states:::events:putEvents")!;
    const busName = publish.Parameters.Entries[0].EventBusName as string;
    const busId = logicalIdAt(template, "GameDay/Reports/Bus/Resource");
    expect(busName).toBe(`«${busId}»`);
    expect(grantsOf(statements, "events:PutEvents", `«${busId}.Arn»`)).not.toEqual([]);
  });

  it("is the role of state machine " + machineId, () => {
    expect(template.Resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({
      Service: "states.amazonaws.com",
    });
  });
});

describe("the scheduler's roles", () => {
  const machineId = logicalIdAt(template, "GameDay/Orchestrator/StateMachine/Resource");
  const schedules = resourcesOfType(template, "AWS::Scheduler::Schedule");

  it("may start only the game-day state machine", () => {
    const [, schedule] = schedules.find(([, s]) => s.Properties.Target.Arn.Ref === machineId)!;
    const roleId = schedule.Properties.Target.RoleArn["Fn::GetAtt"][0] as string;
    const statements = statementsOfRole(template, roleId);
    expect(grantsOf(statements, "states:StartExecution", `«${machineId}»`)).not.toEqual([]);
    expect(grantsOf(statements, "lambda:InvokeFunction")).toEqual([]);
  });

  it("may invoke the orphan guard for its sweep, and nothing else", () => {
    const guardId = logicalIdAt(template, "GameDay/OrphanGuard/Guard/Function/Resource");
    const [, sweep] = schedules.find(([, s]) => JSON.stringify(s.Properties.Target.Arn).includes(guardId))!;
    expect(JSON.parse(sweep.Properties.Target.Input)).toEqual({ sweep: true, lookbackSeconds: 3600 });
    expect(sweep.Properties.ScheduleExpression).toBe("rate(5 minutes)");
    const roleId = sweep.Properties.Target.RoleArn["Fn::GetAtt"][0] as string;
    const statements = statementsOfRole(template, roleId);
    expect(grantsOf(statements, "lambda:InvokeFunction", `«${guardId}.Arn»`)).not.toEqual([]);
    expect(grantsOf(statements, "states:StartExecution")).toEqual([]);
  });
});

function allTasks(asl: any): any[] {
  const found: any[] = [];
  const visit = (states: Record<string, any>) => {
    for (const state of Object.values(states)) {
      if (state.Type === "Task") found.push(state);
      if (state.Iterator) visit(state.Iterator.States);
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
      for (const branch of state.Branches ?? []) visit(branch.States);
    }
  };
  visit(asl.States);
  return found;
}

/** The IAM action behind a Step Functions service integration resource. */
function actionOfIntegration(resource: string): string[] {
  const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([a-zA-Z]+)$/.exec(resource);
  if (sdk) return [`${sdk[1]}:${sdk[2]![0]!.toUpperCase()}${sdk[2]!.slice(1)}`];
  const optimized: Record<string, string> = {
    "arn:aws:states:::events:putEvents": "events:PutEvents",
    "arn:aws:states:::sns:publish.waitForTaskToken": "sns:Publish",
  };
  if (resource.startsWith("arn:aws:states:::")) {
    if (!optimized[resource]) throw new Error(`no IAM action known for ${resource}`);
    return [optimized[resource]];
  }
  return [];
}
