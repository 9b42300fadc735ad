import type { ReportStore } from "../ports";
import { canBeBaseline, compareReports } from "./compare";
import { renderHtml, type ChartLibrary } from "./html";
import { renderMarkdown } from "./markdown";
import { reportSchema } from "./schema";
import type { Report } from "./model";

/** The report event the state machine and the orphan guard put on the report bus. */
export { REPORT_EVENT } from "../contract/report-event";

export interface ReportObjectKeys {
  json: string;
  markdown: string;
  html: string;
}

/**
 * One key per execution: execution names are unique per state machine, so every delivery of the same report
 * lands on the same object and a conditional write keeps the first.
 */
export function reportObjectKeys(report: { plan: { name: string }; execution: { name: string } }): ReportObjectKeys {
  const base = `reports/${report.plan.name}/${report.execution.name}`;
  return { json: `${base}.json`, markdown: `${base}.md`, html: `${base}.html` };
}

/** The latest stored report of a plan: what the next game day of the plan compares itself with. */
export const latestReportKey = (planName: string) => `reports/${planName}/latest.json`;

export interface StoredReport {
  outcome: "stored" | "already-stored";
  keys: ReportObjectKeys;
  /** The report as stored: with its comparison to the previous game day of the plan, when there was one. */
  report: Report;
  /** True when this is now the plan's latest report (a real run, and no newer one was stored before it). */
  isLatest: boolean;
}

/**
 * Reads the plan's latest report; a missing or unreadable one, one of another plan, or one that cannot be a
 * baseline (written before only PASSED and FAILED runs moved it) means there is nothing to compare with.
 */
export async function previousReport(store: Pick<ReportStore, "get">, report: Report): Promise<Report | undefined> {
  const body = await store.get(latestReportKey(report.plan.name));
  if (!body) return undefined;
  try {
    // Whatever an older version or a failed run left there, only a whole report is compared with.
    const parsed = reportSchema.safeParse(JSON.parse(body));
    if (!parsed.success) return undefined;
    const previous = parsed.data as unknown as Report;
    return previous.plan.name === report.plan.name &&
      !previous.plan.inline &&
      previous.execution.name !== report.execution.name &&
      canBeBaseline(previous)
      ? previous
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores Markdown and HTML first and the JSON last: the JSON is the contract and marks the report as stored, so a
 * retry after a partial failure completes the set and a duplicate delivery changes nothing. The plan's latest
 * report moves forward only for game days that tested the hypothesis (PASSED or FAILED: refused, ABORTED, ERROR,
 * INCONCLUSIVE runs and previews measured nothing) and never back to an older game day.
 */
export async function storeReport(report: Report, store: ReportStore, chart: ChartLibrary): Promise<StoredReport> {
  const keys = reportObjectKeys(report);
  const previous = await previousReport(store, report);
  const stored: Report = previous ? { ...report, comparison: compareReports(report, previous) } : report;
  const json = `${JSON.stringify(stored, null, 2)}\n`;
  await store.putIfAbsent(keys.markdown, renderMarkdown(stored), "text/markdown; charset=utf-8");
  await store.putIfAbsent(keys.html, renderHtml(stored, chart), "text/html; charset=utf-8");
  const outcome = await store.putIfAbsent(keys.json, json, "application/json");
  const newer = !previous || Date.parse(previous.execution.startedAt) <= Date.parse(report.execution.startedAt);
  // An inline plan's run is stored, never the baseline: only the plan the stack ships sets its plan's latest report
  // and dashboard.
  const isLatest = canBeBaseline(report) && !report.plan.inline && newer;
  // A repeated delivery (or the orphan guard's late report of the same execution) stands for what was stored first.
  const body = outcome === "stored" ? json : await store.get(keys.json);
  if (isLatest && body) await store.put(latestReportKey(report.plan.name), body, "application/json");
  return { outcome, keys, report: body ? (JSON.parse(body) as Report) : stored, isLatest };
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
    ...(report.comparison
      ? [{ name: "Regressions", unit: "Count" as const, value: report.comparison.regressions.length }]
      : []),
  ];
}
