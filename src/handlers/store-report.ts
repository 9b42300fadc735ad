import type { EventBridgeEvent } from "aws-lambda";
import { markLatestRun } from "../core/dashboards/latest-run";
import type { DashboardStore, ReportStore } from "../core/ports";
import type { ChartLibrary } from "../core/report/html";
import type { Report } from "../core/report/model";
import { reportProblems, reportSchema } from "../core/report/schema";
import { storeReport } from "../core/report/storage";
import { fullReportKey } from "../core/report/reference";
import { InvalidReportError } from "../core/contract/errors";

export type ReportEvent = EventBridgeEvent<"Game Day Report", Report>;

/** Records per-plan metrics in the embedded metric format; a duplicate delivery records nothing. */
export interface ReportMetricsSink {
  record(plan: string, report: Report): void;
}

export interface StoreReportPorts {
  store: ReportStore;
  metrics: ReportMetricsSink;
  chart: ChartLibrary;
  /** The stack's per-plan dashboards and their name prefix; absent when nothing should be marked. */
  dashboards?: { store: DashboardStore; namePrefix: string };
}

async function markPlanDashboard(report: Report, dashboards: NonNullable<StoreReportPorts["dashboards"]>) {
  const name = `${dashboards.namePrefix}${report.plan.name}`;
  const body = await dashboards.store.get(name);
  if (body) await dashboards.store.put(name, markLatestRun(body, report));
}

const invalid = (message: string) => new InvalidReportError(message);

/**
 * The report a summary stands for: the whole report the report step stored at the key its names fix. A summary
 * whose whole report is missing is kept as it is (never lose a verdict); one that points elsewhere, or at another
 * game day's report, is refused.
 */
async function wholeReport(report: Report, eventId: string, store: Pick<ReportStore, "get">): Promise<Report> {
  if (!report.fullReport) return report;
  const key = fullReportKey(report);
  if (report.fullReport.key !== key)
    throw invalid(`Event ${eventId}: fullReport.key must be ${key}, not ${JSON.stringify(report.fullReport.key)}`);
  const body = await store.get(key);
  if (body === undefined) return report;
  let whole: Report;
  try {
    const parsed = reportSchema.safeParse(JSON.parse(body));
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message);
    whole = parsed.data as unknown as Report;
  } catch (error) {
    throw invalid(`Event ${eventId}: the report at ${key} is not a valid report (${(error as Error).message})`);
  }
  if (whole.execution.name !== report.execution.name || whole.verdict !== report.verdict)
    throw invalid(`Event ${eventId}: the report at ${key} is of another game day or verdict than its summary`);
  return whole;
}

export const createStoreReport = (ports: StoreReportPorts) => async (event: ReportEvent) => {
  // Refused reports end in the dead-letter queue with this message: nothing of them is stored.
  const problems = reportProblems(event.detail);
  if (problems) throw new InvalidReportError(`Event ${event.id} does not carry a valid game-day report: ${problems}`);
  const report = await wholeReport(event.detail, event.id, ports.store);
  const stored = await storeReport(report, ports.store, ports.chart);
  // A duplicate delivery stores and counts nothing; its outcome ("already-stored") is in the function's log.
  if (stored.outcome === "stored") ports.metrics.record(report.plan.name, stored.report);
  // Marked on every delivery (idempotent), so a retry after a failed dashboard write completes it.
  if (ports.dashboards && stored.isLatest) await markPlanDashboard(stored.report, ports.dashboards);
  return {
    outcome: stored.outcome,
    keys: stored.keys,
    regressions: stored.report.comparison?.regressions.length ?? 0,
  };
};
