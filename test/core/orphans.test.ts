import { describe, expect, it } from "vitest";
import { guardOrphans, planNameFromInput, type EndedExecution } from "../../src/core/gameday/orphans";
import type { ExperimentView } from "../../src/core/ports";
import { FakeExperiments, RecordingPublisher } from "../fakes";

const experiment = (id: string, status: ExperimentView["status"], execution = "run-1"): ExperimentView => ({
  id,
  templateId: "EXTcheckout",
  status,
  startTime: "2026-11-24T10:00:00.000Z",
  tags: { "gameday:execution": execution, "gameday:plan": "ecs-checkout-zone-loss", "gameday:stage": "zone loss" },
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
    const result = await guardOrphans(ended, { experiments, publisher });
    expect(experiments.stopRequests).toEqual(["EXP1", "EXP2"]);
    expect(result.stopped).toEqual(["EXP1", "EXP2"]);
  });

  it("publishes one ABORTED report naming the plan, the execution and what it stopped", async () => {
    const publisher = new RecordingPublisher();
    await guardOrphans(ended, {
      experiments: new FakeExperiments([experiment("EXP1", "running"), experiment("EXP3", "completed")]),
      publisher,
    });
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
      { experiments: new FakeExperiments([]), publisher },
    );
    expect(result.stopped).toEqual([]);
    expect(publisher.published[0]).toMatchObject({ verdict: "ABORTED", plan: { name: "inline-plan" } });
    expect(publisher.published[0]!.reason).toContain("timed out");
  });

  it("does not publish before every stop was requested, so a failing stop is retried with the event", async () => {
    const experiments = new FakeExperiments([experiment("EXP1", "running")]);
    experiments.stop = async () => {
      throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    };
    const publisher = new RecordingPublisher();
    await expect(guardOrphans(ended, { experiments, publisher })).rejects.toThrow("Rate exceeded");
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
});
