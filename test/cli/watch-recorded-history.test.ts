import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  type HistoryEvent,
} from "@aws-sdk/client-sfn";
import { FisClient, GetExperimentCommand } from "@aws-sdk/client-fis";
import { mockClient } from "aws-sdk-client-mock";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProgressView, replayHistory } from "../../src/cli/progress";
import { readHistoryFile } from "../../src/cli/history-file";
import type { Report } from "../../src/core/report/model";
import { deployedStackDescription, run } from "../helpers";

/**
 * Histories recorded from rehearsals: the real ASL in the interpreter, written down as Step Functions' execution
 * history. `gameday watch` reads them through a mocked SFN client exactly as it reads a deployed game day's.
 */
const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);
const fis = mockClient(FisClient as any);
const MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:GameDay-StateMachine";
const arnOf = (name: string) => `arn:aws:states:eu-west-1:111122223333:execution:GameDay-StateMachine:${name}`;
const PAGE = 25;

interface Recording {
  history: HistoryEvent[];
  report: Report;
}
const recorded = new Map<string, Recording>();
/** `gameday rehearse FILE --history`, read back as `gameday watch FILE` reads it. */
async function recording(file: string, ...extra: string[]): Promise<Recording> {
  const key = [file, ...extra].join(" ");
  if (!recorded.has(key)) {
    const dir = mkdtempSync(join(tmpdir(), "gameday-history-"));
    const history = join(dir, "history.json");
    await run(["rehearse", file, "--out", dir, "--history", history, "--json", ...extra]);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as Report;
    recorded.set(key, { history: readHistoryFile(history), report });
  }
  return recorded.get(key)!;
}

/**
 * Answers GetExecutionHistory in pages of at most PAGE events (fewer when asked), newest first when asked, of the
 * first `visible` events.
 */
function serveHistory(events: HistoryEvent[], visible: number) {
  sfn
    .on(GetExecutionHistoryCommand)
    .callsFake((input: { nextToken?: string; reverseOrder?: boolean; maxResults: number }) => {
      const shown = events.slice(0, visible);
      const ordered = input.reverseOrder ? [...shown].reverse() : shown;
      const from = Number(input.nextToken ?? 0);
      const to = Math.min(from + Math.min(PAGE, input.maxResults), ordered.length);
      return { events: ordered.slice(from, to), ...(to < ordered.length ? { nextToken: String(to) } : {}) };
    });
}

function describeAs(name: string, history: HistoryEvent[], running: boolean) {
  const last = history[history.length - 1]!;
  return {
    executionArn: arnOf(name),
    stateMachineArn: MACHINE,
    name,
    status: running ? "RUNNING" : "SUCCEEDED",
    startDate: history[0]!.timestamp,
    input: history[0]!.executionStartedEventDetails!.input,
    ...(running ? {} : { stopDate: last.timestamp, output: last.executionSucceededEventDetails!.output }),
  };
}

/** The lines a non-interactive view prints for a whole history at once. */
function replayAll(history: HistoryEvent[]): string[] {
  const lines: string[] = [];
  const start = history[0]!.timestamp!.getTime();
  replayHistory(history, new ProgressView({ start, live: false, write: (l) => lines.push(l), title: "gameday" }));
  return lines.map((l) => stripVTControlCharacters(l));
}

beforeAll(() => {
  process.env.AWS_REGION = "eu-west-1";
});
afterAll(() => {
  delete process.env.AWS_REGION;
});
beforeEach(() => {
  cfn.reset();
  sfn.reset();
  fis.reset();
  cfn
    .on(DescribeStacksCommand)
    .resolves(deployedStackDescription({ stateMachineArn: MACHINE, reportBucket: "reports" }));
});

describe("execution histories recorded from rehearsals", () => {
  it("have Step Functions' shape: chained ids, paired state events, Lambda and SDK task events", async () => {
    const { history, report } = await recording("plans/aurora-failover.json");
    const events = history;
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.slice(1).every((e, i) => e.previousEventId === events[i]!.id)).toBe(true);
    const times = events.map((e) => e.timestamp!.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events[0]!.type).toBe("ExecutionStarted");
    // The plan ships with the stack and starts by name, as from the console.
    expect(JSON.parse(events[0]!.executionStartedEventDetails!.input!).plan).toBe("aurora-failover");

    const entered = events.filter((e) => e.type?.endsWith("StateEntered")).map((e) => e.stateEnteredEventDetails!.name);
    const exited = events.filter((e) => e.type?.endsWith("StateExited")).map((e) => e.stateExitedEventDetails!.name);
    // Every state entered is exited (states inside a Map exit before the Map does).
    expect([...exited].sort()).toEqual([...entered].sort());
    expect(entered).toContain("Observe the system during the fault");

    const lambda = events.find((e) => e.type === "LambdaFunctionScheduled")!;
    expect(lambda.lambdaFunctionScheduledEventDetails!.resource).toMatch(/^arn:aws:lambda:us-east-1:\d{12}:function:/);
    const start = events.find((e) => e.type === "TaskScheduled")!.taskScheduledEventDetails!;
    expect(start).toMatchObject({ resourceType: "aws-sdk:fis", resource: "startExperiment", region: "us-east-1" });
    expect(JSON.parse(start.parameters!)).toHaveProperty("ExperimentTemplateId");

    const last = events[events.length - 1]!;
    expect(last.type).toBe("ExecutionSucceeded");
    expect(JSON.parse(last.executionSucceededEventDetails!.output!).verdict).toBe(report.verdict);
  });

  it("record failed task attempts, each answered by one scheduling", async () => {
    const { history } = await recording("plans/ec2-web-tier.json", "--fault", "lambda-error:0.3", "--seed", "4");
    const count = (type: string) => history.filter((e) => e.type === type).length;
    expect(count("LambdaFunctionFailed")).toBeGreaterThan(0);
    expect(count("LambdaFunctionScheduled")).toBe(count("LambdaFunctionSucceeded") + count("LambdaFunctionFailed"));
    const failed = history.find((e) => e.type === "LambdaFunctionFailed")!;
    expect(failed.lambdaFunctionFailedEventDetails).toEqual({ error: "Error", cause: "injected Lambda crash" });
    // Caught (this crash is not retried): the state exits with the Catch's output and no success event.
    expect(history[failed.id!]!.type).toBe("TaskStateExited");
    expect(history.at(-1)!.type).toBe("ExecutionFailed");
  });

  it("schedule a task again after a failed attempt that Retry covers", async () => {
    const { history } = await recording("plans/ec2-web-tier.json", "--fault", "lambda-timeout:0.3", "--seed", "2");
    const count = (type: string) => history.filter((e) => e.type === type).length;
    const retried = history.filter(
      (e, i) => e.type === "LambdaFunctionFailed" && history[i + 1]?.type === "LambdaFunctionScheduled",
    );
    expect(retried.length).toBeGreaterThan(0);
    expect(retried[0]!.lambdaFunctionFailedEventDetails!.error).toBe("States.Timeout");
    expect(count("LambdaFunctionScheduled")).toBe(count("LambdaFunctionSucceeded") + count("LambdaFunctionFailed"));
    expect(count("TaskStateEntered")).toBeLessThan(count("LambdaFunctionScheduled") + count("TaskScheduled"));
  });

  it("end with ExecutionAborted when the execution is stopped from outside", async () => {
    const { history } = await recording("plans/ec2-web-tier.json", "--fault", "abort-at:PT2M");
    expect(history.at(-1)!.type).toBe("ExecutionAborted");
    const abortedAfter = history.at(-1)!.timestamp!.getTime() - history[0]!.timestamp!.getTime();
    expect(abortedAfter).toBeGreaterThanOrEqual(120_000);
    expect(abortedAfter).toBeLessThan(150_000);
  });
});

describe("gameday watch on recorded histories", () => {
  it("tells the failing example's story: experiment and its actions, breaches, no recovery, exit 1", async () => {
    const { history, report } = await recording("plans/aurora-failover.json");
    // The watch describes the execution once to start, then once per refresh. First refresh: running, the
    // experiment just started; second: ended, the whole history.
    const started = history.findIndex((e) => e.stateEnteredEventDetails?.name === "Wait for the next fault poll") + 1;
    let refreshes = 0;
    sfn.on(DescribeExecutionCommand).callsFake(() => {
      refreshes += 1;
      serveHistory(history, refreshes <= 2 ? started : history.length);
      return describeAs("aurora", history, refreshes <= 2);
    });
    // FIS answers the first read with the failover running, later ones with it done.
    let reads = 0;
    fis.on(GetExperimentCommand as any).callsFake((input: { id: string }) => {
      reads += 1;
      const status = reads === 1 ? "running" : "completed";
      return {
        experiment: {
          id: input.id,
          experimentTemplateId: "EXT1",
          state: { status },
          tags: {},
          actions: { failover: { actionId: "aws:rds:failover-db-cluster", state: { status } } },
        },
      };
    });
    const { code, out, err } = await run(["watch", "aurora", "--interval", "0"]);
    expect(code).toBe(1);
    expect(out).toContain("aurora: FAILED (SUCCEEDED)");
    const lines = err.trim().split("\n");
    const experiment = report.experiments[0]!.experimentId;
    const order = [
      "validating the plan",
      "steady state holds",
      `experiment ${experiment} started: Fail over the orders database: aurora-failover-orders-db`,
      `experiment ${experiment} running`,
      "  action failover (aws:rds:failover-db-cluster) running",
      // The failover is over within a poll; the load balancer's minute of it arrives in CloudWatch later.
      "watching recovery",
      "✗ frontDoorFaultPercent out of bounds: value",
      '"Fail over the orders database" did not recover within the recovery window',
      "reporting",
    ].map((text) => lines.findIndex((l) => l.includes(text)));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // Every line carries the game day's elapsed time, from the execution's history timestamps.
    expect(lines.every((l) => /^\[T\+\d+(m|s|h)/.test(l))).toBe(true);
    // Read once per refresh until FIS says it ended, then no more.
    expect(fis.commandCalls(GetExperimentCommand as any).map((c) => c.args[0].input)).toEqual([
      { id: experiment },
      { id: experiment },
    ]);
    expect(lines.at(-1)).toMatch(/action failover \(aws:rds:failover-db-cluster\) completed$/);
    expect(lines.find((l) => l.includes("did not recover"))).toMatch(/^\[T\+2m30s\]/);

    const calls = sfn.commandCalls(GetExecutionHistoryCommand).map((c) => c.args[0].input);
    // The first refresh reads the history so far in pages of 1000 (25 here); the second only back to the last
    // event it had seen: a page of 10 then of 100 are all new, so it pages with 1000 until it meets an old event.
    const tokens = (n: number) => Array.from({ length: n }, (_, i) => (i ? String(i * PAGE) : undefined));
    const fresh = history.length - started;
    expect(fresh).toBeGreaterThan(PAGE);
    expect(calls.map((c) => [c.maxResults, c.nextToken])).toEqual([
      ...tokens(Math.ceil(started / PAGE)).map((t) => [1000, t]),
      [10, undefined],
      [100, undefined],
      ...tokens(Math.floor(fresh / PAGE) + 1).map((t) => [1000, t]),
    ]);
    expect(calls.every((c) => c.reverseOrder === true)).toBe(true);
    expect(calls.every((c) => c.executionArn === arnOf("aurora") && c.includeExecutionData)).toBe(true);
  });

  it("tells a guardrail stop and the recovery, once each, while following a running execution", async () => {
    const { history } = await recording("test/fixtures/overload-web-cpu.json");
    fis.on(GetExperimentCommand as any).rejects(
      Object.assign(
        new Error("User: arn:aws:iam::111122223333:user/sre is not authorized to perform: fis:GetExperiment"),
        {
          name: "AccessDeniedException",
          $metadata: { httpStatusCode: 403 },
        },
      ),
    );
    const events = history;
    const half = Math.floor(events.length / 2);
    let polls = 0;
    sfn.on(DescribeExecutionCommand).callsFake(() => {
      polls += 1;
      // Running for three refreshes (two of them with the first half only), then ended with the full history.
      serveHistory(events, polls <= 3 ? half : events.length);
      return describeAs("overload", events, polls <= 4);
    });
    const { code, err } = await run(["watch", "overload", "--interval", "0"]);
    expect(code).toBe(1);
    // Without FIS access the watch says so once and goes on with the execution history alone.
    const denied = err.split("\n").filter((l) => l.startsWith("Access denied while reading experiment"));
    expect(denied).toHaveLength(1);
    expect(denied[0]).toContain("following the execution history without FIS actions");
    const lines = err
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("Access denied"));
    expect(lines).toEqual(replayAll(events));
    const told = (text: string) => lines.filter((l) => l.includes(text)).length;
    expect(told('stopping "Inject": guardrail broken by frontDoorFaultPercent')).toBe(1);
    expect(told("✗ frontDoorFaultPercent out of bounds")).toBe(1);
    expect(told("✓ frontDoorFaultPercent back in bounds")).toBe(1);
    expect(told('"Inject" recovered 2m25s after the fault ended')).toBe(1);
  });

  it("exits 0 on a passing game day and shows every stage's experiment and recovery", async () => {
    const { history, report } = await recording("plans/ec2-web-tier.json");
    serveHistory(history, history.length);
    sfn.on(DescribeExecutionCommand).resolves(describeAs("ec2", history, false) as never);
    const { code, err } = await run(["watch", "ec2", "--interval", "0"]);
    expect(code).toBe(0);
    for (const e of report.experiments) expect(err).toContain(`experiment ${e.experimentId} started: ${e.stage}`);
    for (const s of report.stages) expect(err).toContain(`"${s.name}" recovered`);
    expect(err).not.toContain("out of bounds");
  });

  it("draws the live frame from the same history: probes with their state, experiments with their outcome", async () => {
    const { history, report } = await recording("test/fixtures/overload-web-cpu.json");
    const view = new ProgressView({
      start: history[0]!.timestamp!.getTime(),
      live: false,
      write: () => {},
      title: "gameday",
    });
    replayHistory(history, view);
    const { experimentId } = report.experiments[0]!;
    view.experimentState(
      {
        id: experimentId,
        status: "stopped",
        actions: [{ name: "cpu", actionId: "aws:ssm:send-command", status: "cancelled" }],
      },
      history.at(-1)!.timestamp!.getTime(),
    );
    view.experimentState({ id: "EXP-unknown", status: "running", actions: [] }, 0);
    const frame = stripVTControlCharacters(view.frame());
    expect(frame).toContain("    ▸ cpu aws:ssm:send-command cancelled");
    // Its tail repeats the latest changes, newest last.
    const recent = frame.split("\n").slice(frame.split("\n").indexOf("recently:") + 1);
    expect(recent).toHaveLength(6);
    expect(recent.at(-1)).toMatch(/^ {2}\[T\+7m\] {3}action cpu \(aws:ssm:send-command\) cancelled$/);
    expect(frame).not.toContain("EXP-unknown");
    expect(frame.split("\n")[0]).toBe("gameday  reporting  T+7m");
    expect(frame).toMatch(/✓ frontDoorFaultPercent \d/);
    expect(frame).toContain(
      `Inject: ${report.experiments[0]!.name} ${experimentId} stopped · guardrail broken by frontDoorFaultPercent · recovered in 2m25s`,
    );
  });
});

describe("gameday rehearse --history and gameday watch FILE", () => {
  it("writes the history and replays it offline with the verdict's exit code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gameday-history-"));
    const file = join(dir, "nested", "history.json");
    const rehearsed = await run(["rehearse", "plans/aurora-failover.json", "--out", dir, "--history", file]);
    expect(rehearsed.code).toBe(1);
    // The rehearsal tells the same story, its simulated FIS included.
    const story = rehearsed.err.split("\n");
    const action = story.findIndex((l) =>
      /^\[T\+\d+s\] {3}action failover \(aws:rds:failover-db-cluster\) pending$/.test(l),
    );
    expect(action).toBeGreaterThan(story.findIndex((l) => l.includes("experiment EXP") && l.includes("started")));
    expect(story.some((l) => l.endsWith("action failover (aws:rds:failover-db-cluster) completed"))).toBe(true);
    const saved = JSON.parse(readFileSync(file, "utf8")) as { events: { type: string }[] };
    expect(saved.events[0]!.type).toBe("ExecutionStarted");

    const watched = await run(["watch", file]);
    expect(watched.code).toBe(1);
    expect(watched.out).toBe(`${file}: FAILED (SUCCEEDED)\n`);
    expect(watched.err).toContain("did not recover within the recovery window");
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  it("says which event of a malformed history file is wrong, and that a cut-off history ends running", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gameday-history-"));
    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify({
        events: [
          { id: 1, type: "ExecutionStarted", timestamp: "2026-11-24T10:00:00Z" },
          { id: 2, type: "TaskStateEntered" },
        ],
      }),
    );
    const refused = await run(["watch", bad]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`${bad}: $.events[1].timestamp:`);

    const cut = join(dir, "cut.json");
    const epochSeconds = Date.parse("2026-11-24T10:00:00Z") / 1000;
    writeFileSync(cut, JSON.stringify({ events: [{ id: 1, type: "ExecutionStarted", timestamp: epochSeconds }] }));
    const running = await run(["watch", cut]);
    expect(running.code).toBe(3);
    expect(running.out).toContain("RUNNING the history ends while the execution runs");
  });
});
