import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  FisClient,
  GetExperimentCommand,
  ListExperimentResolvedTargetsCommand,
  ListExperimentsCommand,
  StopExperimentCommand,
} from "@aws-sdk/client-fis";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXECUTION_TAG, STATE_MACHINE_TAG } from "../../src/core/gameday/state";
import { STACK_OUTPUTS } from "../../src/core/contract/states";
import { deployedStackDescription, run } from "../helpers";
import { IamAuthorizer, type IamRequest } from "../../src/local/iam/authorizer";
import type { SimulatedNames } from "../../src/local/iam/resolve";
import { readStackPolicies, type StackPolicies } from "../../src/local/iam/stack-policies";
import { resolveIntrinsics, resourcesOfType, synthesizedStack } from "./assembly";

const { template } = synthesizedStack();
const ACCOUNT = "111122223333";
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/GameDay/5f0e1c70-c9a1-11f0-8de9-0242ac120002`;
const MACHINE_NAME = "GameDay-Orchestrator";
const MACHINE = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${MACHINE_NAME}`;
const BUCKET = "gameday-reports";
const EXECUTION = "tuesday";
const executionArn = `arn:aws:states:eu-west-1:${ACCOUNT}:execution:${MACHINE_NAME}:${EXECUTION}`;

/** The names the deployed stack has in this account, as the rehearsal's IAM evaluation resolves them. */
const names: SimulatedNames = {
  partition: "aws",
  region: "eu-west-1",
  account: ACCOUNT,
  stateMachineArn: MACHINE,
  reportBucket: BUCKET,
  lockTable: "GameDay-locks",
  reportBus: "GameDay-reports",
  functionArn: (key) => `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${key}`,
  templateId: () => undefined,
  undeployedTemplateIds: () => [],
};

/** The operator policy evaluated as IAM evaluates it (conditions and resource tags included). */
function operatorAuthorizer(mutate?: (policies: StackPolicies) => void): IamAuthorizer {
  const policies = structuredClone(readStackPolicies(template, "GameDay.template.json"));
  expect(policies.principals.Operator?.documents).toHaveLength(1);
  mutate?.(policies);
  return new IamAuthorizer(policies, names);
}

/** The IAM request a CLI call is authorized as: action, resource and, for an experiment, its tags. */
function authorization(command: string, input: Record<string, any>): IamRequest {
  const [service, action] = {
    DescribeStacksCommand: ["cloudformation", "DescribeStacks"],
    StartExecutionCommand: ["states", "StartExecution"],
    ListExecutionsCommand: ["states", "ListExecutions"],
    DescribeExecutionCommand: ["states", "DescribeExecution"],
    GetExecutionHistoryCommand: ["states", "GetExecutionHistory"],
    StopExecutionCommand: ["states", "StopExecution"],
    GetObjectCommand: ["s3", "GetObject"],
    ListExperimentsCommand: ["fis", "ListExperiments"],
    GetExperimentCommand: ["fis", "GetExperiment"],
    StopExperimentCommand: ["fis", "StopExperiment"],
    ListExperimentResolvedTargetsCommand: ["fis", "ListExperimentResolvedTargets"],
    SendTaskSuccessCommand: ["states", "SendTaskSuccess"],
    SendTaskFailureCommand: ["states", "SendTaskFailure"],
  }[command] ?? ["unknown", command];
  const experimentCall = service === "fis" && command !== "ListExperimentsCommand";
  const resource =
    service === "cloudformation"
      ? STACK_ID
      : service === "s3"
        ? `arn:aws:s3:::${input.Bucket}/${input.Key}`
        : command === "ListExperimentsCommand"
          ? "*"
          : experimentCall
            ? `arn:aws:fis:eu-west-1:${ACCOUNT}:experiment/${input.id ?? input.experimentId}`
            : input.taskToken
              ? "*"
              : (input.executionArn ?? input.stateMachineArn);
  // FIS gives GetExperiment and StopExperiment the experiment's tags as aws:ResourceTag/* keys; the Service
  // Authorization Reference lists none for ListExperimentResolvedTargets, so it gets none.
  const tagged = experimentCall && command !== "ListExperimentResolvedTargetsCommand";
  return {
    action: `${service}:${action}`,
    resource,
    ...(tagged
      ? {
          context: {
            [`aws:ResourceTag/${EXECUTION_TAG}`]: EXECUTION,
            [`aws:ResourceTag/${STATE_MACHINE_TAG}`]: MACHINE,
          },
        }
      : {}),
  };
}

/** The calls the authorizer denies, each named as AWS would name it. */
async function deniedOf(iam: IamAuthorizer, calls: IamRequest[]): Promise<string[]> {
  const denied: string[] = [];
  for (const call of calls) if (!(await iam.allows("Operator", call))) denied.push(`${call.action} ${call.resource}`);
  return denied;
}

const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);
const fis = mockClient(FisClient as any);
const sts = mockClient(STSClient);

beforeAll(() => {
  process.env.AWS_REGION = "eu-west-1";
});
afterAll(() => {
  delete process.env.AWS_REGION;
  for (const client of [cfn, sfn, s3, fis, sts]) client.restore();
});

/** Start, watch, stop, list and report one game day against mocked AWS, as an SRE would. */
async function operatorSession() {
  const tags = { [EXECUTION_TAG]: EXECUTION, [STATE_MACHINE_TAG]: MACHINE };
  cfn
    .on(DescribeStacksCommand)
    .resolves(deployedStackDescription({ stateMachineArn: MACHINE, reportBucket: BUCKET, stackId: STACK_ID }));
  const described = {
    executionArn,
    stateMachineArn: MACHINE,
    name: EXECUTION,
    status: "SUCCEEDED" as const,
    startDate: new Date("2026-11-24T10:00:00Z"),
    stopDate: new Date("2026-11-24T10:20:00Z"),
    input: '{"plan":"ecs-checkout-zone-loss"}',
    output: '{"verdict":"PASSED"}',
  };
  sfn.on(StartExecutionCommand).resolves({ executionArn, startDate: new Date() });
  sfn.on(DescribeExecutionCommand).resolves(described);
  const started = { index: 0, name: "zone loss", experiments: [{ name: "stop tasks" }] };
  sfn.on(GetExecutionHistoryCommand).resolves({
    events: [
      {
        id: 3,
        type: "TaskScheduled",
        timestamp: new Date("2026-11-24T10:00:01Z"),
        taskScheduledEventDetails: {
          resourceType: "sns",
          resource: "publish.waitForTaskToken",
          region: "eu-west-1",
          parameters: JSON.stringify({ MessageAttributes: { taskToken: { StringValue: "TOKEN" } } }),
        },
      },
      {
        id: 2,
        type: "MapStateExited",
        timestamp: new Date("2026-11-24T10:05:00Z"),
        stateExitedEventDetails: {
          name: "Start the stage's experiments",
          output: JSON.stringify({
            stage: { ...started, started: [{ experimentId: "EXP1", templateId: "EXT1", status: "initiating" }] },
          }),
        },
      },
      { id: 1, type: "ExecutionStarted", timestamp: new Date("2026-11-24T10:00:00Z") },
    ],
  });
  sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
  sfn.on(SendTaskSuccessCommand).resolves({});
  sfn.on(SendTaskFailureCommand).resolves({});
  // GetCallerIdentity needs no permission (STS API reference): it is not among the calls authorized below.
  sts.on(GetCallerIdentityCommand).resolves({ Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/sre/alex` });
  sfn.on(ListExecutionsCommand).resolves({ executions: [described] as never });
  const report = { schemaVersion: 1, plan: { name: "ecs-checkout-zone-loss" }, execution: { name: EXECUTION } };
  s3.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(Readable.from([JSON.stringify(report)])) });
  fis.on(ListExperimentsCommand as any).resolves({ experiments: [{ id: "EXP1", tags }] } as any);
  const experiment = (status: string) => ({ experiment: { id: "EXP1", tags, state: { status }, actions: {} } });
  fis
    .on(GetExperimentCommand as any)
    .resolvesOnce(experiment("running") as any)
    .resolvesOnce(experiment("running") as any)
    .resolves(experiment("stopped") as any);
  fis.on(StopExperimentCommand as any).resolves({} as any);
  fis.on(ListExperimentResolvedTargetsCommand as any).resolves({
    resolvedTargets: [{ targetName: "tasks", targetInformation: { arn: "arn:aws:ecs:eu-west-1:1:task/c/t1" } }],
  } as any);

  const codes = [
    (await run(["start", "ecs-checkout-zone-loss", "--name", EXECUTION, "--watch", "--interval", "0"])).code,
    (await run(["approve", EXECUTION])).code,
    (await run(["reject", EXECUTION, "--reason", "incident open"])).code,
    (await run(["stop", EXECUTION, "--interval", "0"])).code,
    (await run(["list"])).code,
    (await run(["report", EXECUTION, "--format", "json"])).code,
  ];
  expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
  const calls = [cfn, sfn, s3, fis].flatMap((client) =>
    client.calls().map((call) => {
      const command = call.args[0] as { constructor: { name: string }; input: Record<string, any> };
      return authorization(command.constructor.name, command.input);
    }),
  );
  for (const client of [cfn, sfn, s3, fis, sts]) client.reset();
  return calls;
}

/** The operator policy's statements as synthesized. */
function operatorStatements(): { Sid?: string; Action: string | string[]; Condition?: unknown }[] {
  const [, policy] = resourcesOfType(template, "AWS::IAM::ManagedPolicy").find(([id]) => id.startsWith("Operator"))!;
  return policy.Properties.PolicyDocument.Statement;
}

describe("the operator policy", () => {
  it("grants every call the CLI makes to start, watch, stop, list and report a game day, and nothing else", async () => {
    const calls = await operatorSession();
    expect(await deniedOf(operatorAuthorizer(), calls)).toEqual([]);
    const statements = operatorStatements();
    const called = new Set(calls.map((c) => c.action));
    // ListBucket is never called: S3 reads it to answer GetObject of a missing report with NoSuchKey instead of 403,
    // so `gameday report` can say "not stored yet". Unconditioned: a grant limited by s3:prefix may not count.
    expect([...called, "s3:ListBucket"].sort()).toEqual(statements.flatMap((s) => [s.Action].flat()).sort());
    const listing = statements.filter((s) => [s.Action].flat().includes("s3:ListBucket"));
    expect(listing.map((s) => s.Condition)).toEqual([undefined]);
    const iam = operatorAuthorizer();
    expect(await iam.allows("Operator", { action: "s3:ListBucket", resource: `arn:aws:s3:::${BUCKET}` })).toBe(true);
  });

  it("needs each of its statements: without any one, a call of the session is denied", async () => {
    const calls = await operatorSession();
    const statements = operatorStatements();
    for (const [index, statement] of statements.entries()) {
      if ([statement.Action].flat().includes("s3:ListBucket")) continue; // held by the test above
      const iam = operatorAuthorizer((policies) => {
        const document = policies.principals.Operator!.documents[0]!;
        document.Statement = statements.filter((_, i) => i !== index);
      });
      expect(await deniedOf(iam, calls), `without ${statement.Sid}`).not.toEqual([]);
    }
  });

  it("reaches only this stack's executions, reports and tagged experiments", async () => {
    const iam = operatorAuthorizer();
    const other = `arn:aws:states:eu-west-1:${ACCOUNT}:execution:SomeoneElses:run`;
    const experiment = `arn:aws:fis:eu-west-1:${ACCOUNT}:experiment/EXP9`;
    const otherStack = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:GameDay-prod-Orchestrator`;
    const refused: IamRequest[] = [
      { action: "states:StopExecution", resource: other },
      { action: "states:StartExecution", resource: other.replace(":execution:", ":stateMachine:") },
      { action: "s3:GetObject", resource: `arn:aws:s3:::${BUCKET}/other/secret.json` },
      { action: "s3:PutObject", resource: `arn:aws:s3:::${BUCKET}/reports/x/latest.json` },
      { action: "fis:StopExperiment", resource: experiment },
      {
        action: "fis:StopExperiment",
        resource: experiment,
        context: { [`aws:ResourceTag/${EXECUTION_TAG}`]: "x", [`aws:ResourceTag/${STATE_MACHINE_TAG}`]: otherStack },
      },
      { action: "fis:StartExperiment", resource: `arn:aws:fis:eu-west-1:${ACCOUNT}:experiment-template/EXT1` },
    ];
    for (const request of refused) expect(await iam.allows("Operator", request), request.action).toBe(false);
    const own = { [`aws:ResourceTag/${EXECUTION_TAG}`]: "x", [`aws:ResourceTag/${STATE_MACHINE_TAG}`]: MACHINE };
    expect(await iam.allows("Operator", { action: "fis:StopExperiment", resource: experiment, context: own })).toBe(
      true,
    );
  });

  it("is an output of the stack, to attach to the roles that run the CLI", () => {
    const outputs = resolveIntrinsics(template.Outputs) as Record<string, { Value: string; Description: string }>;
    expect(outputs.OperatorPolicyArn!.Value).toMatch(/^«Operator/);
    expect(outputs.OperatorPolicyArn!.Description).toContain("gameday CLI");
    // The CLI finds a stack by the outputs the contract names; the stack declares each under that name.
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(Object.values(STACK_OUTPUTS)));
  });
});
