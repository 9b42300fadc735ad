import { beforeAll, describe, expect, it } from "vitest";
import { createGuardOrphans, type ExecutionStatusEvent } from "../../lambdas/guard-orphans";
import { createStoreReport, type ReportEvent, type ReportMetricsSink } from "../../lambdas/store-report";
import type { Report } from "../../src/core/report/model";
import { executionStatusChange } from "../sample-events";
import { FakeExperiments, MemoryStore, RecordingPublisher } from "../fakes";
import { planFrom, rehearsePlan } from "../helpers";

let report: Report;
beforeAll(async () => {
  report = (await rehearsePlan(planFrom("plans/ec2-web-tier.json"), { seed: 5 })).report!;
});

const reportEvent = (detail: unknown, id = "e-1"): ReportEvent =>
  ({
    version: "0",
    id,
    "detail-type": "Game Day Report",
    source: "gameday",
    account: "111122223333",
    time: "2026-11-24T10:30:00Z",
    region: "eu-west-1",
    resources: [],
    detail,
  }) as ReportEvent;

class RecordingSink implements ReportMetricsSink {
  readonly recorded: { plan: string; verdict: string }[] = [];
  record(plan: string, r: Report) {
    this.recorded.push({ plan, verdict: r.verdict });
  }
}

describe("store-report handler", () => {
  it("stores the report once and records its metrics once, however often it is delivered", async () => {
    const store = new MemoryStore();
    const metrics = new RecordingSink();
    const handle = createStoreReport({ store, metrics });
    await handle(reportEvent(report, "e-1"));
    await handle(reportEvent(report, "e-1"));
    await handle(reportEvent(report, "e-2"));
    expect(store.objects.size).toBe(2);
    expect(metrics.recorded).toEqual([{ plan: "ec2-web-tier", verdict: report.verdict }]);
  });

  it("refuses an event that carries no game-day report, storing nothing", async () => {
    const store = new MemoryStore();
    const handle = createStoreReport({ store, metrics: new RecordingSink() });
    await expect(handle(reportEvent({ hello: "world" }, "e-9"))).rejects.toThrow(
      "Event e-9 does not carry a game-day report (schemaVersion 1).",
    );
    expect(store.writes).toBe(0);
  });
});

const statusEvent = (status: string, input: string | null = '{"plan":"ec2-web-tier"}') =>
  executionStatusChange(status, { name: "run-7", input }) as unknown as ExecutionStatusEvent;

describe("guard-orphans handler", () => {
  const running = {
    id: "EXP7",
    templateId: "EXTweb",
    status: "running" as const,
    tags: { "gameday:execution": "run-7", "gameday:plan": "ec2-web-tier" },
    actions: [],
  };

  it("stops the execution's experiments and publishes an ABORTED report when the execution is stopped", async () => {
    const experiments = new FakeExperiments([running]);
    const publisher = new RecordingPublisher();
    const result = await createGuardOrphans({ experiments, publisher })(statusEvent("ABORTED"));
    expect(result).toEqual({ stopped: ["EXP7"], verdict: "ABORTED" });
    expect(experiments.stopRequests).toEqual(["EXP7"]);
    expect(publisher.published[0]).toMatchObject({
      plan: { name: "ec2-web-tier" },
      execution: { name: "run-7", startedAt: new Date(1764000000000).toISOString() },
    });
  });

  it("does nothing for an execution that succeeded", async () => {
    const experiments = new FakeExperiments([running]);
    const publisher = new RecordingPublisher();
    expect(await createGuardOrphans({ experiments, publisher })(statusEvent("SUCCEEDED"))).toEqual({
      ignored: "SUCCEEDED",
    });
    expect(experiments.stopRequests).toEqual([]);
    expect(publisher.published).toEqual([]);
  });

  it("works when the event carries no input (input too large to include)", async () => {
    const publisher = new RecordingPublisher();
    await createGuardOrphans({ experiments: new FakeExperiments([]), publisher })(statusEvent("FAILED", null));
    expect(publisher.published[0]!.plan.name).toBe("unknown");
  });
});
