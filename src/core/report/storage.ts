import type { ReportStore } from "../ports";
import { renderMarkdown } from "./markdown";
import type { Report } from "./model";

/** The report event the state machine and the orphan guard put on the report bus. */
export const REPORT_EVENT = { source: "gameday", detailType: "Game Day Report" } as const;

/**
 * One key per execution: execution names are unique per state machine, so every delivery of the same report
 * lands on the same object and a conditional write keeps the first.
 */
export function reportObjectKeys(report: Pick<Report, "plan" | "execution">): { json: string; markdown: string } {
  const base = `reports/${report.plan.name}/${report.execution.name}`;
  return { json: `${base}.json`, markdown: `${base}.md` };
}

export interface StoredReport {
  outcome: "stored" | "already-stored";
  keys: { json: string; markdown: string };
}

/**
 * Stores the Markdown first and the JSON last: the JSON is the contract and marks the report as stored, so a
 * retry after a partial failure completes the pair and a duplicate delivery changes nothing.
 */
export async function storeReport(report: Report, store: ReportStore): Promise<StoredReport> {
  const keys = reportObjectKeys(report);
  await store.putIfAbsent(keys.markdown, renderMarkdown(report), "text/markdown; charset=utf-8");
  const outcome = await store.putIfAbsent(keys.json, `${JSON.stringify(report, null, 2)}\n`, "application/json");
  return { outcome, keys };
}

export interface ReportMetric {
  name: string;
  unit: "Count" | "Seconds";
  value: number;
}

/** Per-plan CloudWatch metrics of one stored report: what the overview dashboard charts. */
export function reportMetrics(report: Report): ReportMetric[] {
  const guardrailStops = (report.stages ?? []).filter((s) => s.stoppedBy === "guardrail").length;
  return [
    { name: "GameDays", unit: "Count", value: 1 },
    { name: `Verdict${report.verdict}`, unit: "Count", value: 1 },
    { name: "GuardrailBreaches", unit: "Count", value: guardrailStops },
    ...(typeof report.recovery === "number"
      ? [{ name: "RecoverySeconds", unit: "Seconds" as const, value: report.recovery }]
      : []),
  ];
}
