import { describe, expect, it } from "vitest";
import { guardOrphans, planNameFromInput, sweepOrphans, type EndedExecution } from "../../src/core/gameday/orphans";
import type { ExecutionDescription, ExperimentView } from "../../src/core/ports";
import { createGuardOrphans } from "../../src/handlers/guard-orphans";
import { STATE_MACHINE_ARN } from "../../src/local/rehearsal";
import { SimulatedLockTable } from "../../src/sim/locks";
import { FakeExecutions, FakeExperiments, MemoryStore, RecordingPublisher } from "../fakes";

/** The guard's ports: nothing stored yet, no execution history, this stack's state machine. */
const ports = (
  parts: Pick<Parameters<typeof guardOrphans>[1], "experiments" | "publisher"> &
    Partial<Parameters<typeof guardOrphans>[1]>,
) => ({
  locks: new SimulatedLockTable(),
  executions: new FakeExecutions(),
  reports: new MemoryStore(),
  stateMachine: STATE_MACHINE_ARN,
  mutes: { unmute: async () => undefined },
  ...parts,
});

const experiment = (id: string, status: ExperimentView["status"], execution = "run-1"): ExperimentView => ({
  id,
  templateId: "EXTcheckout",
  status,
  startTime: "2026-11-24T10:00:00.000Z",
  tags: {
    "gameday:execution": execution,
    "gameday:state-machine": STATE_MACHINE_ARN,
    "gameday:plan": "ecs-checkout-zone-loss",
    "gameday:stage": "zone loss",
  },
  actions: [{ name: "stop-tasks", actionId: "aws:ecs:stop-task", status: "running" }],
});

const ended: EndedExecution = {
  executionName: "run-1",
  status: "ABORTED",
  startedAt: Date.parse("2026-11-24T10:00:00Z"),
  stoppedAt: Date.parse("2026-11-24T10:07:00Z"),
  input: '{"plan":"ecs-checkout-zone-loss"}',
};

describe("the orphan guard", () => {
  it("stops every running experiment of the execution, and only those", async () => {
    const experiments = new FakeExperiments([
      experiment("EXP1", "running"),
      experiment("EXP2", "initiating"),
      experiment("EXP3", "completed"),
      experiment("EXP4", "stopping"),
      experiment("EXP5", "running", "another-run"),
    ]);
    const publisher = new RecordingPublisher();
    const result = await guardOrphans(ended, ports({ experiments, publisher }));
    expect(experiments.stopRequests).toEqual(["EXP1", "EXP2"]);
    expect(result.stopped).toEqual(["EXP1", "EXP2"]);
  });

  it("publishes one ABORTED report naming the plan, the execution and what it stopped", async () => {
    const publisher = new RecordingPublisher();
    await guardOrphans(
      ended,
      ports({
        experiments: new FakeExperiments([experiment("EXP1", "running"), experiment("EXP3", "completed")]),
        publisher,
      }),
    );
    expect(publisher.published).toHaveLength(1);
    const report = publisher.published[0]!;
    expect(report).toMatchObject({
      schemaVersion: 1,
      verdict: "ABORTED",
      plan: { name: "ecs-checkout-zone-loss" },
      execution: { name: "run-1", startedAt: "2026-11-24T10:00:00.000Z", endedAt: "2026-11-24T10:07:00.000Z" },
      cleanup: { stopped: ["EXP1"], pending: 0 },
    });
    expect(report.reason).toMatch(/stopped from outside.*stopped 1 running experiment\(s\) of the 2/);
    expect(report.experiments.map((e) => [e.experimentId, e.status, e.stage])).toEqual([
      ["EXP1", "stopping", "zone loss"],
      ["EXP3", "completed", "zone loss"],
    ]);
  });

  it("still reports when the execution started no experiment, taking the plan from the input", async () => {
    const publisher = new RecordingPublisher();
    const result = await guardOrphans(
      { ...ended, status: "TIMED_OUT", input: '{"plan":{"name":"inline-plan","stages":[]}}' },
      ports({ experiments: new FakeExperiments([]), publisher }),
    );
    expect(result.stopped).toEqual([]);
    expect(publisher.published[0]).toMatchObject({ verdict: "ERROR", plan: { name: "inline-plan" } });
    expect(publisher.published[0]!.reason).toContain("timed out");
  });

  it("does not publish before every stop was requested, so a failing stop is retried with the event", async () => {
    const experiments = new FakeExperiments([experiment("EXP1", "running")]);
    experiments.stop = async () => {
      throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    };
    const publisher = new RecordingPublisher();
    await expect(guardOrphans(ended, ports({ experiments, publisher }))).rejects.toThrow("Rate exceeded");
    expect(publisher.published).toEqual([]);
  });

  it.each([
    ['{"plan":"checkout"}', "checkout"],
    ['{"plan":{"name":"inline"}}', "inline"],
    ["{not json", undefined],
    [undefined, undefined],
    ['{"plan":42}', undefined],
  ])("reads the plan name from input %s", (input, name) => {
    expect(planNameFromInput(input)).toBe(name);
  });

  it("gives back the execution's run locks once all its experiments have ended, and no one else's", async () => {
    const locks = new SimulatedLockTable();
    const hold = { planName: "ecs-checkout-zone-loss", startedAt: 0, expiresAt: Date.parse("2030-01-01T00:00:00Z") };
    await locks.take("plan:ecs-checkout-zone-loss", { ...hold, executionName: ended.executionName }, 0);
    await locks.take("plan:other", { ...hold, executionName: "another-run" }, 0);
    const experiments = new FakeExperiments([experiment("EXP1", "stopped"), experiment("EXP2", "failed")]);
    const result = await guardOrphans(ended, ports({ experiments, publisher: new RecordingPublisher(), locks }));
    expect(result.released).toBe(1);
    expect([...locks.items.keys()]).toEqual(["plan:other"]);
  });

  it("keeps the run locks while an experiment of the execution is still live", async () => {
    const locks = new SimulatedLockTable();
    const hold = { planName: "p", startedAt: 0, expiresAt: Date.parse("2030-01-01T00:00:00Z") };
    await locks.take("plan:p", { ...hold, executionName: ended.executionName }, 0);
    const experiments = new FakeExperiments([experiment("EXP1", "running")]);
    const result = await guardOrphans(ended, ports({ experiments, publisher: new RecordingPublisher(), locks }));
    expect(result).toMatchObject({ stopped: ["EXP1"], released: 0 });
    expect([...locks.items.keys()]).toEqual(["plan:p"]);
  });
});

describe("the sweep and the status event, against what Step Functions says now", () => {
  const now = Date.parse("2026-11-24T11:00:00Z");
  const execution = (name: string, status: ExecutionDescription["status"]): ExecutionDescription => ({
    name,
    status,
    startedAt: Date.parse("2026-11-24T10:00:00Z"),
    stoppedAt: Date.parse("2026-11-24T10:30:00Z"),
    input: '{"plan":"ecs-checkout-zone-loss"}',
  });

  it("reconciles each ended execution on its own: one that keeps failing holds up none of the others", async () => {
    const reports = new MemoryStore();
    const get = reports.get.bind(reports);
    // The first execution's report lookup fails every time (a persistent S3 error on its key).
    reports.get = async (key: string) => {
      if (key.includes("/run-1.")) throw Object.assign(new Error("Internal error"), { name: "InternalError" });
      return get(key);
    };
    const publisher = new RecordingPublisher();
    const experiments = new FakeExperiments([
      experiment("EXP1", "running", "run-1"),
      experiment("EXP2", "running", "run-2"),
      experiment("EXP3", "running", "run-3"),
    ]);
    const result = await sweepOrphans(now, 3600, {
      ...ports({ experiments, publisher }),
      reports,
      executions: new FakeExecutions([
        execution("run-1", "ABORTED"),
        execution("run-2", "ABORTED"),
        execution("run-3", "TIMED_OUT"),
      ]),
    });
    expect(result.failed).toEqual([{ execution: "run-1", error: "InternalError: Internal error" }]);
    expect(result.reported).toEqual(["run-2", "run-3"]);
    expect(experiments.stopRequests).toEqual(["EXP1", "EXP2", "EXP3"]);
  });

  it("lets a late FAILED event of a redriven execution, running again, touch nothing", async () => {
    const experiments = new FakeExperiments([experiment("EXP1", "running", "run-1")]);
    const publisher = new RecordingPublisher();
    const handler = createGuardOrphans({
      ...ports({ experiments, publisher }),
      executions: new FakeExecutions([{ ...execution("run-1", "RUNNING"), stoppedAt: undefined }]),
      clock: { now: () => now, sleep: async () => {} } as never,
    });
    const event = {
      time: "2026-11-24T10:30:00Z",
      detail: {
        executionArn: `${STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:")}:run-1`,
        stateMachineArn: STATE_MACHINE_ARN,
        name: "run-1",
        status: "FAILED",
        startDate: Date.parse("2026-11-24T10:00:00Z"),
        stopDate: Date.parse("2026-11-24T10:30:00Z"),
      },
    } as never;
    expect(await handler(event)).toEqual({ ignored: "run-1 is RUNNING now" });
    expect(experiments.stopRequests).toEqual([]);
    expect(publisher.published).toEqual([]);
  });
});

describe("the report of a game day that never started", () => {
  it("says AWS throttled it, not that the plan was refused, when throttling stopped it", async () => {
    const publisher = new RecordingPublisher();
    await guardOrphans(
      {
        ...ended,
        status: "FAILED",
        error: "GameDay.NotStarted",
        cause: "ProvisionedThroughputExceededException: Rate exceeded",
      },
      ports({ experiments: new FakeExperiments([]), publisher }),
    );
    expect(publisher.published[0]!.verdict).toBe("ABORTED");
    expect(publisher.published[0]!.reason).toMatch(/could not start: AWS throttled or failed its calls/);
    expect(publisher.published[0]!.reason).not.toMatch(/refused/);
  });

  it("still says refused when the plan was", async () => {
    const publisher = new RecordingPublisher();
    await guardOrphans(
      { ...ended, status: "FAILED", error: "GameDay.InvalidPlan", cause: "stages[0].name: required" },
      ports({ experiments: new FakeExperiments([]), publisher }),
    );
    expect(publisher.published[0]!.reason).toMatch(/was refused before it started anything/);
  });
});
