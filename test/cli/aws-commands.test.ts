import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { FisClient, GetExperimentCommand, ListExperimentsCommand, StopExperimentCommand } from "@aws-sdk/client-fis";
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
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderJUnit } from "../../src/core/report/junit";
import type { Report } from "../../src/core/report/model";
import { deployedStackDescription, planFrom, run } from "../helpers";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);
const s3 = mockClient(S3Client);
const fis = mockClient(FisClient as any);
const MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:GameDay-StateMachine";
const BUCKET = "gameday-reports-111122223333";
const executionArn = (name: string) => `arn:aws:states:eu-west-1:111122223333:execution:GameDay-StateMachine:${name}`;

const report: Report = {
  schemaVersion: 1,
  plan: { name: "ecs-checkout-zone-loss", description: "zone loss" },
  execution: {
    name: "tuesday",
    startedAt: "2026-11-24T10:00:00.000Z",
    endedAt: "2026-11-24T10:25:00.000Z",
    actionsMode: "run-all",
  },
  verdict: "FAILED",
  reason: "A guardrail broke: frontDoorFaultPercent 7 > 2.",
  findings: [
    {
      rule: "guardrail-stop",
      verdict: "FAILED",
      probeId: "frontDoorFaultPercent",
      message: 'Stage "zone loss": frontDoorFaultPercent was out of bounds for 2 consecutive polls (value 7 > 2).',
    },
  ],
  recovery: null,
  experiments: [
    {
      stage: "zone loss",
      name: "stop tasks",
      templateId: "EXT1",
      experimentId: "EXP1",
      status: "stopped",
      startTime: "2026-11-24T10:05:00.000Z",
      endTime: "2026-11-24T10:07:00.000Z",
      actions: [],
    },
  ],
  probes: [
    {
      id: "frontDoorFaultPercent",
      type: "math",
      bounds: { max: 2 },
      phases: {} as never,
      timeToDetect: [30],
      timeToRecover: [60],
    },
  ],
  stages: [
    {
      name: "zone loss",
      faultStartedAt: "2026-11-24T10:05:00.000Z",
      faultEndedAt: "2026-11-24T10:07:00.000Z",
      stoppedBy: "guardrail",
      guardrailProbes: ["frontDoorFaultPercent"],
      recoverySeconds: null,
      polls: 4,
    },
  ],
  skippedStages: [],
};

const deployedStack = deployedStackDescription({ stateMachineArn: MACHINE, reportBucket: BUCKET });

/** What Step Functions answers for an execution name it does not know. */
const executionDoesNotExist = (name: string) =>
  Object.assign(new Error(`Execution Does Not Exist: '${executionArn(name)}'`), { name: "ExecutionDoesNotExist" });

beforeAll(() => {
  process.env.AWS_REGION = "eu-west-1";
});
afterAll(() => {
  delete process.env.AWS_REGION;
});
beforeEach(() => {
  for (const client of [cfn, sfn, s3, fis]) client.reset();
  cfn.on(DescribeStacksCommand).resolves(deployedStack);
});

const described = (name: string, extra: Record<string, unknown> = {}) => ({
  executionArn: executionArn(name),
  stateMachineArn: MACHINE,
  name,
  status: "SUCCEEDED" as const,
  startDate: new Date("2026-11-24T10:00:00Z"),
  stopDate: new Date("2026-11-24T10:25:00Z"),
  input: '{"plan":"ecs-checkout-zone-loss"}',
  output: JSON.stringify({ verdict: "PASSED" }),
  ...extra,
});

/** The history of a game day whose plan the state machine accepted: it went on to the steady-state check. */
const acceptsThePlan = () =>
  sfn.on(GetExecutionHistoryCommand).resolves({
    events: [
      {
        id: 4,
        type: "TaskStateEntered",
        timestamp: new Date(),
        stateEnteredEventDetails: { name: "Check the steady state before injecting" },
      },
    ],
  });

describe("gameday start", () => {
  it("finds the stack and starts an execution with the plan's name", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn("tuesday"), startDate: new Date() });
    acceptsThePlan();
    const { code, out } = await run(["start", "ecs-checkout-zone-loss", "--name", "tuesday"]);
    expect(code).toBe(0);
    expect(cfn.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({ StackName: "GameDay" });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: MACHINE, input: '{"plan":"ecs-checkout-zone-loss"}', name: "tuesday" },
    ]);
    expect(out).toContain(`started ${executionArn("tuesday")}`);
  });

  it("exits 2 when the state machine refuses the plan, with the refusal's own reason", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn("typo"), startDate: new Date() });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    sfn.on(DescribeExecutionCommand).resolves(
      described("typo", {
        status: "FAILED",
        output: undefined,
        error: "GameDay.InvalidPlan",
        cause: 'No plan named "ecs-checkout-zone-los"; the stack has ecs-checkout-zone-loss, ec2-web-tier',
      }),
    );
    const { code, err } = await run(["start", "ecs-checkout-zone-los", "--interval", "1"]);
    expect(code).toBe(2);
    expect(err).toContain('refused: GameDay.InvalidPlan: No plan named "ecs-checkout-zone-los"');
  });

  it("previews a plan file with actionsMode skip-all, on the named stack", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn("p"), startDate: new Date() });
    acceptsThePlan();
    const { code } = await run(["start", "plans/aurora-failover.json", "--preview", "--stack", "GameDayStaging"]);
    expect(code).toBe(0);
    expect(cfn.commandCalls(DescribeStacksCommand)[0]!.args[0].input).toEqual({ StackName: "GameDayStaging" });
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!);
    expect(input).toMatchObject({ actionsMode: "skip-all", plan: { name: "aurora-failover" } });
  });

  it("refuses an invalid plan file with exit 2, calling nothing in AWS", async () => {
    const { code, err } = await run(["start", "test/fixtures/overload-web-cpu.json"]);
    expect(code).toBe(2);
    expect(err).toContain("is not a plan; nothing was started");
    expect(cfn.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it("says the stack is not deployed, naming the Region, with exit 3", async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error("Stack with id GameDay does not exist"), { name: "ValidationError" }));
    const { code, err } = await run(["start", "ecs-checkout-zone-loss"]);
    expect(code).toBe(3);
    expect(err).toContain('Stack "GameDay" is not deployed in eu-west-1. Deploy it with `npx cdk deploy`');
  });

  it("explains missing credentials and denied access", async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
      );
    expect((await run(["start", "x"])).err).toContain('No AWS credentials found while looking up stack "GameDay"');
    cfn.reset();
    cfn.on(DescribeStacksCommand).resolves(deployedStack);
    sfn.on(StartExecutionCommand).rejects(
      Object.assign(new Error("User: arn:aws:iam::1:user/me is not authorized to perform: states:StartExecution"), {
        name: "AccessDeniedException",
      }),
    );
    expect((await run(["start", "x"])).err).toContain("Access denied while starting the game day: User: arn:aws");
  });
});

describe("gameday watch", () => {
  it("says when the execution does not exist, naming the stack and where to look", async () => {
    sfn.on(DescribeExecutionCommand).rejects(executionDoesNotExist("tusday"));
    const { code, err } = await run(["watch", "tusday"]);
    expect(code).toBe(3);
    expect(err).toContain(`No game day "tusday" in stack GameDay (${executionArn("tusday")}). \`gameday list\` shows`);
    expect(sfn.commandCalls(GetExecutionHistoryCommand)).toHaveLength(0);
  });

  it("reads the execution history newest first, page by page, and exits with the verdict's code", async () => {
    sfn.on(DescribeExecutionCommand).resolves(described("tuesday", { output: JSON.stringify({ verdict: "FAILED" }) }));
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({
        events: [
          {
            id: 3,
            timestamp: new Date("2026-11-24T10:05:00Z"),
            type: "TaskStateEntered",
            stateEnteredEventDetails: { name: "Observe the system during the fault" },
          },
          {
            id: 2,
            timestamp: new Date("2026-11-24T10:00:01Z"),
            type: "TaskStateEntered",
            stateEnteredEventDetails: { name: "Validate the plan" },
          },
        ],
        nextToken: "page-2",
      })
      .resolvesOnce({ events: [{ id: 1, timestamp: new Date("2026-11-24T10:00:00Z"), type: "ExecutionStarted" }] });
    const { code, out, err } = await run(["watch", "tuesday", "--interval", "0"]);
    expect(code).toBe(1);
    expect(out).toContain("tuesday: FAILED (SUCCEEDED)");
    expect(err).toContain("[T+1s] validating the plan\n[T+5m] fault live");
    const page = {
      executionArn: executionArn("tuesday"),
      reverseOrder: true,
      maxResults: 1000,
      includeExecutionData: true,
    };
    expect(sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input)).toEqual([
      { ...page, nextToken: undefined },
      { ...page, nextToken: "page-2" },
    ]);
  });
});

describe("gameday stop", () => {
  it("stops the execution and its running experiments, and confirms they ended", async () => {
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    const tags = { "gameday:execution": "tuesday", "gameday:state-machine": MACHINE };
    // Another stack's game day of the same name: never this stack's to stop.
    const staging = { ...tags, "gameday:state-machine": MACHINE.replace("GameDay-", "Staging-") };
    fis
      .on(ListExperimentsCommand as any)
      .resolvesOnce({
        experiments: [
          { id: "EXP1", tags, state: { status: "running" } },
          { id: "EXP-STAGING", tags: staging, state: { status: "running" } },
        ],
        nextToken: "more",
      } as any)
      .resolvesOnce({ experiments: [{ id: "EXP9", tags: { "gameday:execution": "other" } }] } as any)
      .resolves({ experiments: [{ id: "EXP1", tags, state: { status: "stopped" } }] } as any);
    fis
      .on(GetExperimentCommand as any)
      .resolvesOnce({ experiment: { id: "EXP1", tags, state: { status: "running" } } } as any)
      .resolves({ experiment: { id: "EXP1", tags, state: { status: "stopped" } } } as any);
    fis.on(StopExperimentCommand as any).resolves({} as any);
    const { code, out } = await run(["stop", "tuesday", "--interval", "0"]);
    expect(code).toBe(0);
    expect(sfn.commandCalls(StopExecutionCommand)[0]!.args[0].input).toEqual({
      executionArn: executionArn("tuesday"),
      error: "GameDay.StoppedByOperator",
      cause: "Stopped with gameday stop",
    });
    expect(fis.commandCalls(StopExperimentCommand as any).map((c: any) => c.args[0].input)).toEqual([{ id: "EXP1" }]);
    expect(fis.commandCalls(ListExperimentsCommand as any)[1]!.args[0].input).toEqual({
      maxResults: 100,
      nextToken: "more",
    });
    expect(out).toContain("experiment EXP1: stopped");
  });
});

describe("gameday stop --all", () => {
  it("stops every running game day of the stack, each with its experiments, and only the running ones", async () => {
    sfn
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [{ name: "monday" }, { name: "tuesday" }] as never, nextToken: "page2" })
      .resolves({ executions: [{ name: "wednesday" }] as never });
    sfn.on(StopExecutionCommand).resolves({ stopDate: new Date() });
    fis.on(ListExperimentsCommand as any).resolves({ experiments: [] } as any);
    const { code, out } = await run(["stop", "--all", "--interval", "0"]);
    expect(code).toBe(0);
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: MACHINE, statusFilter: "RUNNING", maxResults: 100, nextToken: undefined },
      { stateMachineArn: MACHINE, statusFilter: "RUNNING", maxResults: 100, nextToken: "page2" },
    ]);
    expect(sfn.commandCalls(StopExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual([
      executionArn("monday"),
      executionArn("tuesday"),
      executionArn("wednesday"),
    ]);
    expect(out.match(/^stopped execution /gm)).toHaveLength(3);
  });

  it("says when nothing runs, and refuses a name and --all together", async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    expect((await run(["stop", "--all"])).out).toContain("no game day of stack GameDay is running");
    const both = await run(["stop", "tuesday", "--all"]);
    expect(both.code).toBe(2);
    expect(both.err).toContain("name one execution, or give --all (not both)");
    expect(sfn.commandCalls(StopExecutionCommand)).toHaveLength(0);
  });
});

describe("gameday stop, for an execution that does not exist", () => {
  it("says so in one line and points at gameday list", async () => {
    sfn.on(StopExecutionCommand).rejects(executionDoesNotExist("tusday"));
    const { code, err } = await run(["stop", "tusday"]);
    expect(code).toBe(3);
    expect(err).toBe(
      `error No such game day while stopping tusday (Execution Does Not Exist: '${executionArn("tusday")}'); ` +
        "`gameday list` shows the recent ones.\n",
    );
    expect(fis.commandCalls(ListExperimentsCommand as any)).toHaveLength(0);
  });
});

describe("gameday list", () => {
  it("lists recent game days with their plans and verdicts, filtered by plan, across pages", async () => {
    sfn
      .on(ListExecutionsCommand)
      .resolvesOnce({ executions: [described("a"), described("b")] as never, nextToken: "n2" })
      .resolvesOnce({ executions: [described("c")] as never });
    sfn.on(DescribeExecutionCommand, { executionArn: executionArn("a") }).resolves(described("a"));
    sfn
      .on(DescribeExecutionCommand, { executionArn: executionArn("b") })
      .resolves(described("b", { input: '{"plan":"aurora-failover"}' }));
    sfn
      .on(DescribeExecutionCommand, { executionArn: executionArn("c") })
      .resolves(described("c", { output: '{"verdict":"FAILED"}' }));
    const { code, out } = await run(["list", "--plan", "ecs-checkout-zone-loss"]);
    expect(code).toBe(0);
    expect(out.trim().split("\n")).toEqual([
      "2026-11-24T10:00:00.000Z  PASSED     ecs-checkout-zone-loss  a",
      "2026-11-24T10:00:00.000Z  FAILED     ecs-checkout-zone-loss  c",
    ]);
    expect(sfn.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input)).toEqual([
      { stateMachineArn: MACHINE, maxResults: 100, nextToken: undefined },
      { stateMachineArn: MACHINE, maxResults: 100, nextToken: "n2" },
    ]);
  });
});

describe("gameday report", () => {
  it("fetches the stored report from the plan's key and prints it as JUnit XML", async () => {
    sfn.on(DescribeExecutionCommand).resolves(described("tuesday"));
    s3.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(Readable.from([JSON.stringify(report)])) });
    const { code, out } = await run(["report", "tuesday", "--format", "junit"]);
    expect(code).toBe(0);
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: "reports/ecs-checkout-zone-loss/tuesday.json",
    });
    expect(out).toBe(renderJUnit(report));
  });

  it("says when no report is stored yet", async () => {
    sfn.on(DescribeExecutionCommand).resolves(described("tuesday", { status: "RUNNING" }));
    s3.on(GetObjectCommand).rejects(Object.assign(new Error("NoSuchKey"), { name: "NoSuchKey" }));
    const { code, err } = await run(["report", "tuesday"]);
    expect(code).toBe(3);
    expect(err).toContain("No report stored for tuesday yet (status RUNNING)");
  });
});

describe("JUnit XML of a report", () => {
  it("fails the probe that broke a guardrail and the hypothesis, escaping text", () => {
    const xml = renderJUnit({ ...report, reason: 'p99 > 1.5 & "slow"' });
    expect(xml).toContain(
      '<testsuite name="ecs-checkout-zone-loss" tests="3" failures="2" errors="0" skipped="0" time="1500"',
    );
    expect(xml).toContain(
      '<testcase name="probe frontDoorFaultPercent" classname="ecs-checkout-zone-loss.probes" time="0"><failure message="Stage &quot;zone loss&quot;: frontDoorFaultPercent was out of bounds for 2 consecutive polls (value 7 &gt; 2)."/></testcase>',
    );
    expect(xml).toContain('<failure message="p99 &gt; 1.5 &amp; &quot;slow&quot;"/>');
    expect(xml).toContain(
      '<testcase name="experiment stop tasks (EXP1)" classname="ecs-checkout-zone-loss.experiments" time="120"/>',
    );
  });

  it("passes every case of a PASSED game day", () => {
    const passed = renderJUnit({
      ...report,
      verdict: "PASSED",
      findings: [],
      stages: [{ ...report.stages[0]!, guardrailProbes: [] }],
    });
    expect(passed).toContain('failures="0" errors="0" skipped="0"');
  });

  it("skips, never passes, the cases of an INCONCLUSIVE game day", () => {
    const xml = renderJUnit({
      ...report,
      verdict: "INCONCLUSIVE",
      reason: "No fault was injected.",
      findings: [{ rule: "nothing-injected", verdict: "INCONCLUSIVE", message: "No fault was injected." }],
    });
    // Every probe (none was judged) and the hypothesis are skipped; nothing passes.
    const probes = report.probes.length;
    expect(xml).toContain(`failures="0" errors="0" skipped="${probes + 1}"`);
    expect(xml).toContain('<skipped message="No fault was injected."/>');
    expect(xml.match(/<skipped message="not judged: the game day ended INCONCLUSIVE"\/>/g)).toHaveLength(probes);
  });

  it("writes a time for a minimal report without an end time", () => {
    const { endedAt: _, ...execution } = report.execution;
    const xml = renderJUnit({ ...report, execution: execution as Report["execution"] });
    expect(xml).not.toContain("NaN");
  });
});

describe("gameday start with a plan file", () => {
  it("starts a plan written beside its templates unchanged: each template goes by the name the stack deployed it under", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gameday-start-"));
    writeFileSync(
      join(dir, "stop-tasks.json"),
      readFileSync("templates/ecs-stop-checkout-tasks-in-one-zone.json", "utf8"),
    );
    const plan = planFrom("plans/ecs-checkout-zone-loss.json", (p) => {
      p.stages[0].experiments[0].template = { file: "stop-tasks.json" };
      p.stages[0].experiments.push({ template: { name: "stop-tasks" } });
    });
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArn("p"), startDate: new Date() });
    acceptsThePlan();
    const { code } = await run(["start", join(dir, "plan.json")]);
    expect(code).toBe(0);
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!);
    expect(input.plan.stages[0].experiments.map((e: any) => e.template)).toEqual([
      { name: "stop-tasks" },
      { name: "stop-tasks" },
    ]);
  });

  it("refuses a template name found neither beside the plan nor in the templates folder, before calling AWS", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gameday-start-"));
    const plan = planFrom(
      "plans/ecs-checkout-zone-loss.json",
      (p) => (p.stages[0].experiments[0].template = { name: "nowhere" }),
    );
    writeFileSync(join(dir, "plan.json"), JSON.stringify(plan));
    const { code, err } = await run(["start", join(dir, "plan.json")]);
    expect(code).toBe(2);
    expect(err).toContain("template nowhere is neither beside the plan nor in the templates folder");
    expect(cfn.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe("gameday start --name", () => {
  it("refuses a name the report store would refuse, before calling AWS", async () => {
    const { code, err } = await run(["start", "ecs-checkout-zone-loss", "--name", "../etc/passwd"]);
    expect(code).toBe(2);
    expect(err).toContain('--name "../etc/passwd": use 1–80 letters, digits, - or _');
    expect(cfn.calls()).toHaveLength(0);
  });
});
