import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/report/model";
import { reportMetrics, reportObjectKeys, storeReport } from "../../src/core/report/storage";
import { MemoryStore } from "../fakes";
import { planFrom, rehearsePlan } from "../helpers";

let report: Report;
beforeAll(async () => {
  report = (await rehearsePlan(planFrom("plans/ecs-checkout-zone-loss.json"), { seed: 3 })).report!;
});

describe("storing a report", () => {
  it("writes JSON and Markdown under the plan and execution", async () => {
    const store = new MemoryStore();
    const stored = await storeReport(report, store);
    expect(stored).toEqual({
      outcome: "stored",
      keys: {
        json: `reports/ecs-checkout-zone-loss/${report.execution.name}.json`,
        markdown: `reports/ecs-checkout-zone-loss/${report.execution.name}.md`,
      },
    });
    expect(JSON.parse(store.objects.get(stored.keys.json)!.body)).toEqual(report);
    expect(store.objects.get(stored.keys.json)!.contentType).toBe("application/json");
    expect(store.objects.get(stored.keys.markdown)!.body).toContain("# Game day: ecs-checkout-zone-loss");
  });

  it("stores one report however often the same event is delivered", async () => {
    const store = new MemoryStore();
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push((await storeReport(report, store)).outcome);
    expect(outcomes).toEqual(["stored", "already-stored", "already-stored", "already-stored", "already-stored"]);
    expect(store.objects.size).toBe(2);
  });

  it("completes the pair when a retry follows a failed JSON write", async () => {
    const keys = reportObjectKeys(report);
    const store = new MemoryStore(new Set([keys.json]));
    await expect(storeReport(report, store)).rejects.toThrow("InternalError");
    expect([...store.objects.keys()]).toEqual([keys.markdown]);
    expect((await storeReport(report, store)).outcome).toBe("stored");
    expect([...store.objects.keys()].sort()).toEqual([keys.json, keys.markdown].sort());
  });

  it("keeps the first report when the orphan guard reports the same execution again", async () => {
    const store = new MemoryStore();
    await storeReport(report, store);
    const second = await storeReport({ ...report, verdict: "ABORTED" }, store);
    expect(second.outcome).toBe("already-stored");
    expect(JSON.parse(store.objects.get(second.keys.json)!.body).verdict).toBe(report.verdict);
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
