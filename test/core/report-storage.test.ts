import { beforeAll, describe, expect, it } from "vitest";
import { chartLibrary } from "../../src/assets/chart-library";
import type { Report } from "../../src/core/report/model";
import { latestReportKey, reportMetrics, reportObjectKeys, storeReport } from "../../src/core/report/storage";
import { MemoryStore } from "../fakes";
import { planFrom, rehearsePlan } from "../helpers";

let report: Report;
const chart = chartLibrary();
beforeAll(async () => {
  report = (await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), { seed: 3 })).report!;
  delete report.comparison;
});

const later = (r: Report, name: string, change: (r: Report) => void = () => {}): Report => {
  const next = structuredClone(r);
  next.execution = {
    ...next.execution,
    name,
    startedAt: new Date(Date.parse(r.execution.startedAt) + 86_400_000).toISOString(),
  };
  change(next);
  return next;
};

describe("storing a report", () => {
  it("writes JSON, Markdown and HTML under the plan and execution, and makes it the plan's latest", async () => {
    const store = new MemoryStore();
    const stored = await storeReport(report, store, chart);
    const base = `reports/ecs-checkout-zone-loss/${report.execution.name}`;
    expect(stored.outcome).toBe("stored");
    expect(stored.keys).toEqual({ json: `${base}.json`, markdown: `${base}.md`, html: `${base}.html` });
    expect(JSON.parse(store.objects.get(stored.keys.json)!.body)).toEqual(report);
    expect(store.objects.get(stored.keys.json)!.contentType).toBe("application/json");
    expect(store.objects.get(stored.keys.markdown)!.body).toContain("# Game day: ecs-checkout-zone-loss");
    expect(store.objects.get(stored.keys.html)!.contentType).toBe("text/html; charset=utf-8");
    expect(store.objects.get(stored.keys.html)!.body).toContain("<title>Game day ecs-checkout-zone-loss");
    expect(store.objects.get(latestReportKey("ecs-checkout-zone-loss"))!.body).toBe(
      store.objects.get(stored.keys.json)!.body,
    );
  });

  it("stores one report however often the same event is delivered", async () => {
    const store = new MemoryStore();
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await storeReport(report, store, chart)).outcome);
    expect(outcomes).toEqual(["stored", "already-stored", "already-stored", "already-stored", "already-stored"]);
    expect(store.objects.size).toBe(4);
  });

  it("completes the set when a retry follows a failed JSON write", async () => {
    const keys = reportObjectKeys(report);
    const store = new MemoryStore(new Set([keys.json]));
    await expect(storeReport(report, store, chart)).rejects.toThrow("InternalError");
    expect([...store.objects.keys()].sort()).toEqual([keys.html, keys.markdown].sort());
    expect((await storeReport(report, store, chart)).outcome).toBe("stored");
    expect([...store.objects.keys()].sort()).toEqual(
      [keys.json, keys.markdown, keys.html, latestReportKey(report.plan.name)].sort(),
    );
  });

  it("keeps the first report when the orphan guard reports the same execution again, latest included", async () => {
    const store = new MemoryStore();
    await storeReport(report, store, chart);
    const second = await storeReport({ ...report, verdict: "ABORTED" }, store, chart);
    expect(second.outcome).toBe("already-stored");
    expect(JSON.parse(store.objects.get(second.keys.json)!.body).verdict).toBe(report.verdict);
    expect(JSON.parse(store.objects.get(latestReportKey(report.plan.name))!.body).verdict).toBe(report.verdict);
  });
});

describe("comparing with the previous game day of the plan", () => {
  it("flags a recovery 40% slower and a new member of the blast radius", async () => {
    const store = new MemoryStore();
    const first = structuredClone(report);
    first.recovery = 100;
    first.traces!.blastRadius = [];
    await storeReport(first, store, chart);
    const second = later(first, "run-2", (r) => {
      r.recovery = 140;
      r.traces!.blastRadius = ["checkout → orders-db"];
    });
    const stored = await storeReport(second, store, chart);
    expect(stored.report.comparison!.previous).toEqual({
      execution: first.execution.name,
      verdict: first.verdict,
      endedAt: first.execution.endedAt,
    });
    expect(stored.report.comparison!.regressions.map((r) => r.summary)).toEqual([
      "recovery 40% slower (1m40s → 2m20s)",
      "blast radius grew: checkout → orders-db",
    ]);
    expect(store.objects.get(stored.keys.markdown)!.body).toContain("⚠️ **recovery 40% slower (1m40s → 2m20s)**");
    expect(JSON.parse(store.objects.get(stored.keys.json)!.body).comparison.regressions).toHaveLength(2);
  });

  it("claims no improvement when the two runs acted on different resources, and says which", async () => {
    const store = new MemoryStore();
    const first = structuredClone(report);
    first.recovery = 260;
    first.experiments[0]!.actions[0]!.resources = ["arn:aws:rds:us-east-1:123456789012:db:orders-writer"];
    await storeReport(first, store, chart);
    const second = later(first, "run-2", (r) => {
      r.recovery = 20;
      r.experiments[0]!.actions[0]!.resources = ["arn:aws:rds:us-east-1:123456789012:db:orders-reader-1"];
    });
    const stored = await storeReport(second, store, chart);
    expect(stored.report.comparison!.improvements).toEqual([]);
    expect(stored.report.comparison!.differentTargets).toEqual([
      `${first.experiments[0]!.name} · ${first.experiments[0]!.actions[0]!.name} acted on orders-reader-1, last time on orders-writer`,
    ]);
    expect(store.objects.get(stored.keys.markdown)!.body).toContain("acted on different resources");
  });

  it("does not call a few seconds of jitter a regression", async () => {
    const store = new MemoryStore();
    await storeReport({ ...structuredClone(report), recovery: 20 }, store, chart);
    const stored = await storeReport(
      later(report, "run-2", (r) => (r.recovery = 28)),
      store,
      chart,
    );
    expect(stored.report.comparison!.regressions.filter((r) => r.subject === "recovery")).toEqual([]);
  });

  it("never compares with a preview, and never moves latest back to an older game day", async () => {
    const store = new MemoryStore();
    const newest = later(report, "newest");
    await storeReport(newest, store, chart);
    await storeReport(
      later(report, "preview", (r) => (r.execution.actionsMode = "skip-all")),
      store,
      chart,
    );
    await storeReport({ ...structuredClone(report), execution: { ...report.execution, name: "older" } }, store, chart);
    expect(JSON.parse(store.objects.get(latestReportKey(report.plan.name))!.body).execution.name).toBe("newest");
  });
});

describe("per-plan report metrics", () => {
  it("counts the game day, its verdict and guardrail breaches, and records recovery seconds", () => {
    const metrics = reportMetrics({
      ...report,
      verdict: "FAILED",
      recovery: 95,
      stages: [
        { ...report.stages[0]!, stoppedBy: "guardrail" },
        { ...report.stages[0]!, stoppedBy: null },
      ],
    });
    expect(metrics).toEqual([
      { name: "GameDays", unit: "Count", value: 1 },
      { name: "VerdictFAILED", unit: "Count", value: 1 },
      { name: "GuardrailBreaches", unit: "Count", value: 1 },
      { name: "RecoverySeconds", unit: "Seconds", value: 95 },
    ]);
  });

  it("leaves recovery out when the system never recovered", () => {
    expect(reportMetrics({ ...report, recovery: null }).map((m) => m.name)).not.toContain("RecoverySeconds");
  });
});
