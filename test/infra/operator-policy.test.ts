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
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXECUTION_TAG, STATE_MACHINE_TAG } from "../../src/core/gameday/state";
import { STACK_OUTPUTS } from "../../src/core/contract/states";
import { deployedStackDescription, run } from "../helpers";
import { grantsOf, resolveIntrinsics, resourcesOfType, synthesizedStack, type Statement } from "./assembly";

const { template } = synthesizedStack();
const ACCOUNT = "111122223333";
const STACK_ID = `arn:aws:cloudformation:eu-west-1:${ACCOUNT}:stack/GameDay/5f0e1c70-c9a1-11f0-8de9-0242ac120002`;
const MACHINE_NAME = "GameDay-Orchestrator";
const MACHINE = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:${MACHINE_NAME}`;
const BUCKET = "gameday-reports";
const EXECUTION = "tuesday";
const executionArn = `arn:aws:states:eu-west-1:${ACCOUNT}:execution:${MACHINE_NAME}:${EXECUTION}`;

/** The operator policy as deployed in this account: the template's references replaced by the deployed names. */
function deployedOperatorPolicy(): Statement[] {
  const [machineId] = resourcesOfType(template, "AWS::StepFunctions::StateMachine").map(([id]) => id);
  const bucketId = (template.Outputs!.ReportBucket!.Value as { Ref: string }).Ref;
  const policies = resourcesOfType(template, "AWS::IAM::ManagedPolicy").filter(([id]) => id.startsWith("Operator"));
  expect(policies).toHaveLength(1);
  const text = JSON.stringify(resolveIntrinsics(policies[0]![1].Properties.PolicyDocument))
    .replaceAll("«AWS::StackId»", STACK_ID)
    .replaceAll(`«${machineId}.Name»`, MACHINE_NAME)
    .replaceAll(`«${machineId}»`, MACHINE)
    .replaceAll(`«${bucketId}.Arn»`, `arn:aws:s3:::${BUCKET}`);
  expect(text).not.toContain("«");
  return (JSON.parse(text) as { Statement: any[] }).Statement.map((s) => ({
    ...s,
    Action: [s.Action].flat(),
    Resource: [s.Resource].flat(),
  }));
}

/** The IAM action and resource a CLI call is authorized against. */
function authorization(command: string, input: Record<string, any>): { action: string; resource: string } {
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
  }[command] ?? ["unknown", command];
  const resource =
    service === "cloudformation"
      ? STACK_ID
      : service === "s3"
        ? `arn:aws:s3:::${input.Bucket}/${input.Key}`
        : command === "ListExperimentsCommand"
          ? "*"
          : service === "fis"
            ? `arn:aws:fis:eu-west-1:${ACCOUNT}:experiment/${input.id ?? input.experimentId}`
            : (input.executionArn ?? input.stateMachineArn);
  return { action: `${service}:${action}`, resource };
}

const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);
const fis = mockClient(FisClient as any);

beforeAll(() => {
  process.env.AWS_REGION = "eu-west-1";
});
afterAll(() => {
  delete process.env.AWS_REGION;
  for (const client of [cfn, sfn, s3, fis]) client.restore();
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
    (await run(["stop", EXECUTION, "--interval", "0"])).code,
    (await run(["list"])).code,
    (await run(["report", EXECUTION, "--format", "json"])).code,
  ];
  expect(codes).toEqual([0, 0, 0, 0]);
  return [cfn, sfn, s3, fis].flatMap((client) =>
    client.calls().map((call) => {
      const command = call.args[0] as { constructor: { name: string }; input: Record<string, any> };
      return authorization(command.constructor.name, command.input);
    }),
  );
}

describe("the operator policy", () => {
  it("grants every call the CLI makes to start, watch, stop, list and report a game day, and nothing else", async () => {
    const statements = deployedOperatorPolicy();
    const calls = await operatorSession();
    const denied = calls.filter((c) => grantsOf(statements, c.action, c.resource).length === 0);
    expect(denied).toEqual([]);
    const called = new Set(calls.map((c) => c.action));
    // ListBucket is never called: S3 reads it to answer GetObject of a missing report with NoSuchKey instead of 403,
    // so `gameday report` can say "not stored yet". Unconditioned: a grant limited by s3:prefix may not count.
    expect([...called, "s3:ListBucket"].sort()).toEqual(statements.flatMap((s) => s.Action).sort());
    const listing = grantsOf(statements, "s3:ListBucket", `arn:aws:s3:::${BUCKET}`);
    expect(listing.map((s) => s.Condition)).toEqual([undefined]);
  });

  it("reaches only this stack's executions, reports and tagged experiments", () => {
    const statements = deployedOperatorPolicy();
    const other = `arn:aws:states:eu-west-1:${ACCOUNT}:execution:SomeoneElses:run`;
    expect(grantsOf(statements, "states:StopExecution", other)).toEqual([]);
    expect(grantsOf(statements, "states:StartExecution", other.replace(":execution:", ":stateMachine:"))).toEqual([]);
    expect(grantsOf(statements, "s3:GetObject", `arn:aws:s3:::${BUCKET}/other/secret.json`)).toEqual([]);
    const stop = grantsOf(statements, "fis:StopExperiment", `arn:aws:fis:eu-west-1:${ACCOUNT}:experiment/EXP9`);
    expect(stop.map((s) => s.Condition)).toEqual([
      {
        Null: { [`aws:ResourceTag/${EXECUTION_TAG}`]: "false" },
        StringEquals: { [`aws:ResourceTag/${STATE_MACHINE_TAG}`]: MACHINE },
      },
    ]);
  });

  it("is an output of the stack, to attach to the roles that run the CLI", () => {
    const outputs = resolveIntrinsics(template.Outputs) as Record<string, { Value: string; Description: string }>;
    expect(outputs.OperatorPolicyArn!.Value).toMatch(/^«Operator/);
    expect(outputs.OperatorPolicyArn!.Description).toContain("gameday CLI");
    // The CLI finds a stack by the outputs the contract names; the stack declares each under that name.
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(Object.values(STACK_OUTPUTS)));
  });
});
