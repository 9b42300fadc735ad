import { chartLibrary } from "../../src/assets/chart-library";
import { beforeAll, describe, expect, it } from "vitest";
import { createGuardOrphans, type ExecutionStatusEvent } from "../../src/handlers/guard-orphans";
import { createStoreReport, type ReportEvent, type ReportMetricsSink } from "../../src/handlers/store-report";
import type { Report } from "../../src/core/report/model";
import { fullReportKey, reportSummary } from "../../src/core/report/reference";
import { SimulatedLockTable } from "../../src/sim/locks";
import { executionStatusChange, GAME_DAY_MACHINE_ARN } from "../sample-events";
import { FakeExecutions, FakeExperiments, MemoryStore, RecordingPublisher } from "../fakes";
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

describe("store-report handler, for a summary that stands for a whole report", () => {
  const summaryOf = (r: Report) => reportSummary(r);
  it("stores the whole report from pending/<plan>/<execution>.json, not the summary", async () => {
    const store = new MemoryStore();
    await store.put(fullReportKey(report), JSON.stringify(report), "application/json");
    const handle = createStoreReport({ store, metrics: new RecordingSink(), chart: chartLibrary() });
    await handle(reportEvent(summaryOf(report)));
    const stored = JSON.parse((await store.get(`reports/ec2-web-tier/${report.execution.name}.json`))!);
    expect(stored.probes).toHaveLength(report.probes.length);
    expect(stored.fullReport).toBeUndefined();
  });

  it("refuses a summary pointing anywhere but its own pending key, or at another game day's report", async () => {
    const store = new MemoryStore();
    const handle = createStoreReport({ store, metrics: new RecordingSink(), chart: chartLibrary() });
    const elsewhere = {
      ...summaryOf(report),
      fullReport: { key: "reports/other/secret.json", findings: 0, probes: 0 },
    };
    await expect(handle(reportEvent(elsewhere))).rejects.toMatchObject({ name: "GameDay.InvalidReport" });
    await store.put(fullReportKey(report), JSON.stringify({ ...report, verdict: "FAILED" }), "application/json");
    await expect(handle(reportEvent(summaryOf(report)))).rejects.toThrow(/another game day or verdict/);
    expect(await store.get(`reports/ec2-web-tier/${report.execution.name}.json`)).toBeUndefined();
  });

  it("keeps the summary when the whole report is missing: a verdict is never lost", async () => {
    const store = new MemoryStore();
    const handle = createStoreReport({ store, metrics: new RecordingSink(), chart: chartLibrary() });
    await handle(reportEvent(summaryOf(report)));
    const stored = JSON.parse((await store.get(`reports/ec2-web-tier/${report.execution.name}.json`))!);
    expect(stored).toMatchObject({ verdict: report.verdict, probes: [], fullReport: { probes: report.probes.length } });
  });
});

describe("store-report handler", () => {
  const sparse = (r: Report) => ({
    schemaVersion: 1,
    plan: r.plan,
    execution: { ...r.execution, name: "older-run", startedAt: "2026-01-01T00:00:00.000Z" },
    verdict: "PASSED",
    reason: "older",
    findings: [],
    recovery: null,
    experiments: [],
    probes: r.probes.map((p) => ({ id: p.id, type: p.type })),
    stages: [],
    skippedStages: [],
    traces: { blastRadius: "not a list" },
  });
  it.each([
    ["text that is not JSON", () => "{not json"],
    ["an empty object", () => "{}"],
    ["an array", () => "[]"],
    [
      "a minimal report without an end time",
      () => JSON.stringify({ schemaVersion: 1, plan: report.plan, verdict: "ERROR" }),
    ],
    ["a sparse report of an older version", () => JSON.stringify(sparse(report))],
  ])("survives %s as the plan's latest report, and stores the whole new one", async (_what, body) => {
    const store = new MemoryStore();
    await store.put("reports/ec2-web-tier/latest.json", body(), "application/json");
    const handle = createStoreReport({ store, metrics: new RecordingSink(), chart: chartLibrary() });
    expect(await handle(reportEvent(report))).toMatchObject({ outcome: "stored" });
    const base = `reports/ec2-web-tier/${report.execution.name}`;
    for (const key of [`${base}.json`, `${base}.md`, `${base}.html`]) expect(await store.get(key), key).toBeDefined();
    expect(JSON.parse((await store.get("reports/ec2-web-tier/latest.json"))!).execution.name).toBe(
      report.execution.name,
    );
  });

  it("stores the report once and records its metrics once, however often it is delivered", async () => {
    const store = new MemoryStore();
    const metrics = new RecordingSink();
    const handle = createStoreReport({ store, metrics, chart: chartLibrary() });
    await handle(reportEvent(report, "e-1"));
    await handle(reportEvent(report, "e-1"));
    await handle(reportEvent(report, "e-2"));
    // JSON, Markdown, HTML and the plan's latest report.
    expect(store.objects.size).toBe(4);
    expect(metrics.recorded).toEqual([{ plan: "ec2-web-tier", verdict: report.verdict }]);
  });

  it("refuses an event that carries no game-day report, storing nothing", async () => {
    const store = new MemoryStore();
    const handle = createStoreReport({ store, metrics: new RecordingSink(), chart: chartLibrary() });
    await expect(handle(reportEvent({ hello: "world" }, "e-9"))).rejects.toThrow(
      "Event e-9 does not carry a valid game-day report: schemaVersion:",
    );
    expect(store.writes).toBe(0);
  });

  it.each([
    [
      "a verdict that is markup",
      (r: Report) => ({ ...r, verdict: "PASSED</title><script>alert(1)</script>" }),
      "verdict",
    ],
    [
      "a plan name that climbs out of its prefix",
      (r: Report) => ({ ...r, plan: { ...r.plan, name: "../../../other" } }),
      "plan.name",
    ],
    [
      "an execution name with a slash",
      (r: Report) => ({ ...r, execution: { ...r.execution, name: "a/../b" } }),
      "execution.name",
    ],
    [
      "a report without an end time",
      (r: Report) => ({ ...r, execution: { ...r.execution, endedAt: undefined } }),
      "execution.endedAt",
    ],
    ["a report without findings", (r: Report) => ({ ...r, findings: undefined }), "findings"],
  ])("refuses %s to the dead-letter queue, naming the field, storing nothing", async (_, forge, field) => {
    const store = new MemoryStore();
    const handle = createStoreReport({ store, metrics: new RecordingSink(), chart: chartLibrary() });
    await expect(handle(reportEvent(forge(report), "e-forged"))).rejects.toThrow(
      new RegExp(`Event e-forged does not carry a valid game-day report: .*${field.replace(".", "\\.")}:`),
    );
    expect(store.writes).toBe(0);
  });

  it("escapes every string of a stored report in its HTML and Markdown", async () => {
    const store = new MemoryStore();
    const handle = createStoreReport({ store, metrics: new RecordingSink(), chart: chartLibrary() });
    const hostile = {
      ...report,
      reason: "<img src=x onerror=alert(1)> | **bold** [link](http://x)",
      stages: report.stages.map((s) => ({ ...s, name: "<svg onload=alert(1)>" })),
      findings: [{ rule: "<b>x</b>", verdict: null, message: "<script>alert(2)</script>" }],
    };
    await handle(reportEvent(hostile, "e-hostile"));
    const html = store.objects.get(`reports/ec2-web-tier/${report.execution.name}.html`)!.body;
    const markdown = store.objects.get(`reports/ec2-web-tier/${report.execution.name}.md`)!.body;
    for (const raw of ["<img src=x", "<svg onload", "<script>alert(2)", "<b>x</b>"]) expect(html).not.toContain(raw);
    // In Markdown every < of the data is backslash-escaped, so no renderer reads it as HTML.
    expect(markdown).not.toMatch(/(?<!\\)<(img|svg|script|b>)/);
    expect(html).toContain("&lt;svg onload=alert(1)&gt;");
    expect(markdown).toContain("\\<svg onload=alert(1)\\>");
    expect(markdown).not.toContain("[link](http://x)");
  });

  it.each(["ABORTED", "ERROR", "INCONCLUSIVE"] as const)(
    "never makes an %s report the plan's latest (the next run's baseline)",
    async (verdict) => {
      const store = new MemoryStore();
      const handle = createStoreReport({ store, metrics: new RecordingSink(), chart: chartLibrary() });
      await handle(reportEvent(report, "e-real"));
      const latest = store.objects.get("reports/ec2-web-tier/latest.json")!.body;
      const later = {
        ...report,
        verdict,
        execution: {
          ...report.execution,
          name: "later-run",
          startedAt: "2030-01-01T00:00:00.000Z",
          endedAt: "2030-01-01T00:10:00.000Z",
        },
      };
      const stored = await handle(reportEvent(later, "e-later"));
      expect(stored.outcome).toBe("stored");
      expect(store.objects.get("reports/ec2-web-tier/latest.json")!.body).toBe(latest);
    },
  );
});

const statusEvent = (status: string, input: string | null = '{"plan":"ec2-web-tier"}') =>
  executionStatusChange(status, { name: "run-7", input }) as unknown as ExecutionStatusEvent;

describe("guard-orphans handler", () => {
  const running = {
    id: "EXP7",
    templateId: "EXTweb",
    status: "running" as const,
    tags: {
      "gameday:execution": "run-7",
      "gameday:state-machine": GAME_DAY_MACHINE_ARN,
      "gameday:plan": "ec2-web-tier",
    },
    actions: [],
  };
  const clock = { now: () => Date.parse("2026-11-24T12:00:00Z") };
  const guardWith = (
    experiments: FakeExperiments,
    executions = new FakeExecutions(),
    reports = new MemoryStore(),
    locks = new SimulatedLockTable(),
  ) => {
    const publisher = new RecordingPublisher();
    return {
      publisher,
      handle: createGuardOrphans({
        experiments,
        executions,
        publisher,
        mutes: { unmute: async () => undefined },
        clock,
        locks,
        reports,
        stateMachine: GAME_DAY_MACHINE_ARN,
      }),
    };
  };

  it("stops the execution's experiments and publishes an ABORTED report when the execution is stopped", async () => {
    const experiments = new FakeExperiments([running]);
    const { publisher, handle } = guardWith(experiments);
    expect(await handle(statusEvent("ABORTED"))).toEqual({ stopped: ["EXP7"], released: 0, reported: true });
    expect(experiments.stopRequests).toEqual(["EXP7"]);
    expect(publisher.published[0]).toMatchObject({
      verdict: "ABORTED",
      plan: { name: "ec2-web-tier" },
      execution: { name: "run-7", startedAt: new Date(1764000000000).toISOString() },
    });
  });

  it("does nothing for an execution that succeeded", async () => {
    const experiments = new FakeExperiments([running]);
    const { publisher, handle } = guardWith(experiments);
    expect(await handle(statusEvent("SUCCEEDED"))).toEqual({ ignored: "SUCCEEDED" });
    expect(experiments.stopRequests).toEqual([]);
    expect(publisher.published).toEqual([]);
  });

  it("ignores another stack's execution of the same name, and never touches its experiments", async () => {
    const otherMachine = GAME_DAY_MACHINE_ARN.replace("GameDay-Orchestrator", "Staging-Orchestrator");
    const theirs = { ...running, id: "EXP-B", tags: { ...running.tags, "gameday:state-machine": otherMachine } };
    const experiments = new FakeExperiments([theirs]);
    const { publisher, handle } = guardWith(experiments);
    const event = executionStatusChange("ABORTED", { name: "run-7", stateMachineArn: otherMachine });
    expect(await handle(event as unknown as ExecutionStatusEvent)).toEqual({ ignored: otherMachine });
    // Even asked about its own execution of that name, it leaves the other stack's experiment alone.
    await handle(statusEvent("ABORTED"));
    expect(experiments.stopRequests).toEqual([]);
    expect(publisher.published.map((r) => r.experiments.length)).toEqual([0]);
  });

  it("stops but does not report over a FAILED execution whose own report is stored", async () => {
    const experiments = new FakeExperiments([running]);
    const executions = new FakeExecutions([
      { name: "run-7", status: "FAILED", error: "GameDay.Error", startedAt: 1764000000000 },
    ]);
    const reports = new MemoryStore();
    await reports.putIfAbsent("reports/ec2-web-tier/run-7.json", "{}", "application/json");
    const { publisher, handle } = guardWith(experiments, executions, reports);
    expect(await handle(statusEvent("FAILED"))).toEqual({ stopped: ["EXP7"], released: 0, reported: false });
    expect(publisher.published).toEqual([]);
  });

  it("delivers the report a FAILED execution built when it was never stored", async () => {
    const built = { ...structuredClone(report), execution: { ...report.execution, name: "run-7" } };
    const executions = new FakeExecutions(
      [{ name: "run-7", status: "FAILED", error: "GameDay.Error", startedAt: 1764000000000 }],
      { "run-7": built },
    );
    const { publisher, handle } = guardWith(new FakeExperiments([]), executions);
    expect(await handle(statusEvent("FAILED"))).toMatchObject({ reported: true });
    expect(publisher.published).toEqual([built]);
  });

  it("reports a FAILED execution that could not report for itself", async () => {
    const executions = new FakeExecutions([
      { name: "run-7", status: "FAILED", error: "GameDay.ReportNotPublished", startedAt: 1764000000000 },
    ]);
    const { publisher, handle } = guardWith(new FakeExperiments([]), executions);
    await handle(statusEvent("FAILED", null));
    expect(publisher.published[0]).toMatchObject({ verdict: "ERROR", plan: { name: "unknown" } });
  });

  it("sweeps: reconciles a SUCCEEDED execution whose report never reached the bucket, and frees its locks", async () => {
    const built = { ...structuredClone(report), execution: { ...report.execution, name: "run-ok" } };
    const executions = new FakeExecutions(
      [{ name: "run-ok", status: "SUCCEEDED", startedAt: 1764000000000, stoppedAt: clock.now() - 60_000 }],
      { "run-ok": built },
    );
    const locks = new SimulatedLockTable();
    const hold = { executionName: "run-ok", planName: "p", startedAt: 0, expiresAt: clock.now() + 3600_000 };
    await locks.take("plan:p", hold, 0);
    const { publisher, handle } = guardWith(new FakeExperiments([]), executions, new MemoryStore(), locks);
    expect(await handle({ sweep: true })).toMatchObject({ reported: ["run-ok"], released: 1 });
    expect(publisher.published).toEqual([built]);
    expect(locks.items.size).toBe(0);
  });

  it("sweeps: stops experiments of ended executions and those past their deadline, leaves the rest", async () => {
    const tagged = (id: string, execution: string, deadline: string) => ({
      ...running,
      id,
      tags: { ...running.tags, "gameday:execution": execution, "gameday:deadline": deadline },
    });
    const experiments = new FakeExperiments([
      tagged("EXP-ended", "run-lost-event", "2026-11-24T13:00:00Z"),
      tagged("EXP-hung", "run-hung", "2026-11-24T11:00:00Z"),
      tagged("EXP-fine", "run-fine", "2026-11-24T13:00:00Z"),
      { ...tagged("EXP-done", "run-lost-event", "2026-11-24T13:00:00Z"), status: "completed" as const },
    ]);
    const executions = new FakeExecutions([
      { name: "run-lost-event", status: "ABORTED", startedAt: 1764000000000, stoppedAt: 1764000600000 },
      { name: "run-hung", status: "RUNNING", startedAt: 1764000000000 },
      { name: "run-fine", status: "RUNNING", startedAt: 1764000000000 },
    ]);
    const { publisher, handle } = guardWith(experiments, executions);
    expect(await handle({ sweep: true })).toEqual({
      stoppedAfterEnd: ["EXP-ended"],
      stoppedPastDeadline: ["EXP-hung"],
      reported: ["run-lost-event"],
      released: 0,
      failed: [],
    });
    expect(experiments.stopRequests.sort()).toEqual(["EXP-ended", "EXP-hung"]);
    expect(publisher.published.map((r) => [r.execution.name, r.verdict])).toEqual([["run-lost-event", "ABORTED"]]);
  });
});
